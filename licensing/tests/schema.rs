//! The SQLite and Postgres migrations must build the same schema: the services run one set of
//! queries on both, so a column, key or index that one backend lacks is a bug that only shows on
//! that backend. Both are migrated fresh and read back from their catalogues, then compared with
//! the backends' spellings of the same thing made equal (`INTEGER` is `bigint`, for one).
//!
//! The SQLite half always runs. The Postgres half needs `KEYPORT_TEST_DATABASE_URL` (as
//! `make test-postgres` sets it) and is skipped without it, like the other suites' Postgres runs.

#![cfg(feature = "server")]

use std::collections::BTreeMap;

use licensing::store::Backend;
use licensing::testing::{ScratchDir, DATABASE_ENV};
use licensing::Store;
use sqlx::AnyPool;

/// One table as both backends can describe it.
#[derive(Debug, Default, PartialEq, Eq)]
struct Table {
    /// Column name to (normalised type, nullable).
    columns: BTreeMap<String, (String, bool)>,
    primary_key: Vec<String>,
    /// Every index but the primary key's, named by what it covers: the backends name the indexes
    /// of `UNIQUE` constraints differently.
    indexes: Vec<Index>,
    /// (column, referenced table, referenced column).
    foreign_keys: Vec<(String, String, String)>,
}

#[derive(Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Index {
    columns: Vec<String>,
    unique: bool,
    /// The `WHERE` of a partial index, normalised; empty for a full one.
    predicate: String,
}

type Schema = BTreeMap<String, Table>;

/// The type family a column's declared type belongs to: SQLite's `INTEGER` holds 64 bits, like
/// Postgres' `bigint`, and both store text the same whatever its declared length.
fn type_family(declared: &str) -> String {
    let t = declared.trim().to_ascii_lowercase();
    if t.contains("int") || t.contains("serial") {
        "int".into()
    } else if t.contains("char") || t.contains("text") || t.contains("clob") {
        "text".into()
    } else if t == "blob" || t == "bytea" {
        "bytes".into()
    } else if t.contains("real") || t.contains("double") || t.contains("float") {
        "float".into()
    } else if t.starts_with("bool") {
        "bool".into()
    } else {
        t
    }
}

/// A partial index's condition, without the parentheses and spacing Postgres adds.
fn normalised_predicate(predicate: &str) -> String {
    predicate
        .to_ascii_lowercase()
        .replace(['(', ')'], "")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

async fn sqlite_schema(pool: &AnyPool) -> Schema {
    let tables: Vec<String> = sqlx::query_scalar(
        "SELECT name FROM sqlite_master WHERE type = 'table' \
         AND name NOT LIKE 'sqlite_%' AND name <> '_sqlx_migrations'",
    )
    .fetch_all(pool)
    .await
    .expect("sqlite tables");
    let mut schema = Schema::new();
    for name in tables {
        let mut table = Table::default();
        let columns: Vec<(String, String, i64, i64)> = sqlx::query_as(
            "SELECT name, type, \"notnull\", pk FROM pragma_table_info($1) ORDER BY pk, cid",
        )
        .bind(&name)
        .fetch_all(pool)
        .await
        .expect("sqlite columns");
        for (column, declared, not_null, pk) in columns {
            if pk > 0 {
                table.primary_key.push(column.clone());
            }
            // SQLite lets a non-integer primary key hold NULL (a legacy quirk) unless told
            // otherwise; Postgres never does, and no Keyport row has one.
            let nullable = not_null == 0 && pk == 0;
            table
                .columns
                .insert(column, (type_family(&declared), nullable));
        }
        let indexes: Vec<(String, i64, String, i64)> =
            sqlx::query_as("SELECT name, \"unique\", origin, partial FROM pragma_index_list($1)")
                .bind(&name)
                .fetch_all(pool)
                .await
                .expect("sqlite indexes");
        for (index, unique, origin, partial) in indexes {
            if origin == "pk" {
                continue;
            }
            let columns: Vec<String> =
                sqlx::query_scalar("SELECT name FROM pragma_index_info($1) ORDER BY seqno")
                    .bind(&index)
                    .fetch_all(pool)
                    .await
                    .expect("sqlite index columns");
            let predicate = if partial != 0 {
                let sql: String = sqlx::query_scalar(
                    "SELECT sql FROM sqlite_master WHERE type = 'index' AND name = $1",
                )
                .bind(&index)
                .fetch_one(pool)
                .await
                .expect("sqlite index sql");
                let at = sql.to_ascii_lowercase().rfind(" where ").expect("WHERE");
                normalised_predicate(&sql[at + " where ".len()..])
            } else {
                String::new()
            };
            table.indexes.push(Index {
                columns,
                unique: unique != 0,
                predicate,
            });
        }
        table.foreign_keys =
            sqlx::query_as("SELECT \"from\", \"table\", \"to\" FROM pragma_foreign_key_list($1)")
                .bind(&name)
                .fetch_all(pool)
                .await
                .expect("sqlite foreign keys");
        table.indexes.sort();
        table.foreign_keys.sort();
        schema.insert(name, table);
    }
    schema
}

async fn postgres_schema(pool: &AnyPool) -> Schema {
    let tables: Vec<String> = sqlx::query_scalar(
        "SELECT table_name::text FROM information_schema.tables \
         WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' \
           AND table_name <> '_sqlx_migrations'",
    )
    .fetch_all(pool)
    .await
    .expect("postgres tables");
    let mut schema = Schema::new();
    for name in tables {
        let mut table = Table::default();
        let columns: Vec<(String, String, bool)> = sqlx::query_as(
            "SELECT column_name::text, data_type::text, is_nullable::text = 'YES' \
             FROM information_schema.columns \
             WHERE table_schema = current_schema() AND table_name = $1",
        )
        .bind(&name)
        .fetch_all(pool)
        .await
        .expect("postgres columns");
        for (column, declared, nullable) in columns {
            table
                .columns
                .insert(column, (type_family(&declared), nullable));
        }
        let indexes: Vec<(bool, bool, String, String)> = sqlx::query_as(
            "SELECT ix.indisprimary, ix.indisunique, \
                COALESCE(pg_get_expr(ix.indpred, ix.indrelid), ''), \
                ARRAY_TO_STRING(ARRAY( \
                    SELECT pg_get_indexdef(ix.indexrelid, k, true) \
                    FROM generate_series(1, ix.indnkeyatts) AS k ORDER BY k), ',') \
             FROM pg_index ix WHERE ix.indrelid = $1::regclass",
        )
        .bind(&name)
        .fetch_all(pool)
        .await
        .expect("postgres indexes");
        for (primary, unique, predicate, columns) in indexes {
            let columns: Vec<String> = columns.split(',').map(str::to_owned).collect();
            if primary {
                table.primary_key = columns;
                continue;
            }
            table.indexes.push(Index {
                columns,
                unique,
                predicate: normalised_predicate(&predicate),
            });
        }
        table.foreign_keys = sqlx::query_as(
            "SELECT a.attname::text, cf.relname::text, af.attname::text \
             FROM pg_constraint c \
             CROSS JOIN LATERAL unnest(c.conkey, c.confkey) AS k(col, ref) \
             JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.col \
             JOIN pg_class cf ON cf.oid = c.confrelid \
             JOIN pg_attribute af ON af.attrelid = c.confrelid AND af.attnum = k.ref \
             WHERE c.contype = 'f' AND c.conrelid = $1::regclass",
        )
        .bind(&name)
        .fetch_all(pool)
        .await
        .expect("postgres foreign keys");
        table.indexes.sort();
        table.foreign_keys.sort();
        schema.insert(name, table);
    }
    schema
}

/// The one column only Postgres has, and why: its sequence numbers are not in commit order, so
/// the check-in log's readers also go by the writing transaction's id (migration 0015). SQLite
/// has one writer, and its numbers are in commit order.
const POSTGRES_ONLY: (&str, &str) = ("check_in_changes", "xid");

/// Postgres' schema without [`POSTGRES_ONLY`]'s column and its index.
fn without_postgres_only(mut postgres: Schema) -> Schema {
    let (table, column) = POSTGRES_ONLY;
    if let Some(table) = postgres.get_mut(table) {
        table.columns.remove(column);
        table.indexes.retain(|index| index.columns != [column]);
    }
    postgres
}

/// Fails naming the first table that differs and how, rather than dumping both schemas.
fn assert_same(sqlite: &Schema, postgres: &Schema) {
    let names = |s: &Schema| s.keys().cloned().collect::<Vec<_>>();
    assert_eq!(
        names(sqlite),
        names(postgres),
        "the SQLite and Postgres migrations make different tables"
    );
    for (name, table) in sqlite {
        assert_eq!(
            table, &postgres[name],
            "table {name} differs between the SQLite (left) and Postgres (right) migrations"
        );
    }
}

async fn fresh_sqlite(dir: &ScratchDir, file: &str) -> Store {
    let url = format!("sqlite://{}", dir.path().join(file).display());
    Store::connect(&url).await.expect("migrate sqlite")
}

#[tokio::test]
async fn sqlite_and_postgres_migrations_make_the_same_schema() {
    let dir = ScratchDir::new("schema");
    let sqlite = fresh_sqlite(&dir, "keyport.db").await;
    let sqlite_schema = sqlite_schema(sqlite.pool()).await;
    assert!(
        sqlite_schema.contains_key("devices") && sqlite_schema["devices"].columns.len() > 5,
        "the SQLite catalogue was not read: {sqlite_schema:?}"
    );
    let url = match std::env::var(DATABASE_ENV) {
        Ok(url) if url.starts_with("postgres") => url,
        _ => {
            eprintln!("{DATABASE_ENV} names no Postgres: only the SQLite half ran");
            return;
        }
    };
    let postgres = Store::connect(&url).await.expect("migrate postgres");
    assert_eq!(postgres.backend(), Backend::Postgres);
    assert_same(
        &sqlite_schema,
        &without_postgres_only(postgres_schema(postgres.pool()).await),
    );
}

/// The comparison itself sees a difference: a column, an index or a nullability one side lacks.
#[tokio::test]
async fn a_schema_difference_is_noticed() {
    let dir = ScratchDir::new("schema-diff");
    let base = sqlite_schema(fresh_sqlite(&dir, "a.db").await.pool()).await;
    for change in [
        "ALTER TABLE devices ADD COLUMN extra TEXT",
        "CREATE INDEX devices_os ON devices(os)",
        "CREATE UNIQUE INDEX devices_name ON devices(license_id, name) WHERE os IS NULL",
    ] {
        let other = fresh_sqlite(&dir, &format!("{}.db", licensing::testing::random_hex(8))).await;
        sqlx::query(change)
            .execute(other.pool())
            .await
            .expect("change");
        let changed = sqlite_schema(other.pool()).await;
        assert_ne!(base["devices"], changed["devices"], "unnoticed: {change}");
    }
    assert_eq!(type_family("INTEGER"), type_family("bigint"));
    assert_eq!(type_family("TEXT"), type_family("character varying"));
    assert_ne!(type_family("TEXT"), type_family("BIGINT"));
    assert_eq!(
        normalised_predicate("(deactivated_at IS NULL)"),
        normalised_predicate("deactivated_at IS NULL")
    );
}
