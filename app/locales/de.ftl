# Keyport-Portal: Deutsch. Dieselben Nachrichten und { $Variablen } wie en.ftl (Fluent).

# Around every page
app-title = Keyport
app-title_page = { $page } · Keyport
app-skip = Zum Inhalt springen
language-label = Sprache
language-submit = Wechseln
nav-main = Hauptmenü
nav-brand = Keyport
nav-dashboard = Übersicht
nav-licenses = Lizenzen
nav-logout = Abmelden
loading = Wird geladen…
action-cancel = Abbrechen
pager-label = Seiten
pager-newer = Neuer
pager-older = Älter
pager-previous = Zurück
pager-next = Weiter
pager-page = Seite { $n }
notfound-title = Nicht gefunden
notfound-heading = Seite nicht gefunden
notfound-text = Unter dieser Adresse gibt es nichts. { $link }.
notfound-link = Zu Ihrer Übersicht

# Offline banner
network-offline = Sie sind offline.
network-loaded_at = Angezeigt wird der Stand von { $time }.
network-changes_off = Änderungen sind ausgeschaltet, bis die Verbindung zurück ist; später wird nichts unbemerkt gesendet.
network-reason = Offline: Verbinden Sie sich erneut, um dies zu nutzen
offline_page-title = Sie sind offline
offline_page-lead = Keyport ist gerade nicht erreichbar, daher kann diese Seite nicht angezeigt werden.
offline_page-retry = Prüfen Sie Ihre Verbindung. Die Seite versucht es alle paar Sekunden von selbst erneut.
offline_page-again = Erneut versuchen

# Counts
count-deactivation =
    { $n ->
        [one] { $n } Deaktivierung
       *[other] { $n } Deaktivierungen
    }
count-device =
    { $n ->
        [one] { $n } Gerät
       *[other] { $n } Geräte
    }
count-active_device =
    { $n ->
        [one] { $n } aktive Gerät
       *[other] { $n } aktiven Geräte
    }
count-license_user =
    { $n ->
        [one] { $n } Lizenznutzer
       *[other] { $n } Lizenznutzer
    }
count-subscription =
    { $n ->
        [one] { $n } Abonnement
       *[other] { $n } Abonnements
    }
count-minute =
    { $n ->
        [one] { $n } Minute
       *[other] { $n } Minuten
    }

# Column headings and field labels used on several pages
label-product = Produkt
label-type = Typ
label-status = Status
label-valid_from = Gültig ab
label-valid_until = Gültig bis
label-seats = Plätze
label-devices = Geräte
label-deactivations = Deaktivierungen
label-subscriptions = Abonnements
label-your_role = Ihre Rolle
label-name = Name
label-email = E-Mail
label-actions = Aktionen
label-time = Zeit
label-who = Wer
label-what = Was
label-customer = Kunde
label-licenses = Lizenzen
label-accounts = Konten

# Values the services hand over as codes
license_type-personal = Persönliches Abonnement
license_type-organisation = Organisationsabonnement
license_type-offline_organisation = Offline-Organisationsabonnement
license_type-experimental = Experimentelles Abonnement
license_status-active = Aktiv
license_status-suspended = Gesperrt
license_status-expired = Abgelaufen
role-manager = Lizenzmanager
role-user = Lizenznutzer

# Log in
login-title = Anmelden
login-lead = Melden Sie sich an, um Ihre Lizenz, ihre Geräte und ihre Nutzer zu sehen.
login-logged_out = Sie wurden abgemeldet.
login-password_set = Ihr Passwort ist gesetzt. Melden Sie sich jetzt damit an.
login-company = Firmen-ID
login-email = E-Mail
login-password = Passwort
login-submit = Anmelden
login-hint = Verwenden Sie dieselbe E-Mail-Adresse und dasselbe Passwort wie in der Desktop-App. Ihre Firmen-ID ist der Name Ihres Softwareanbieters.
login-forgot = Passwort vergessen?
forgot-title = Passwort zurücksetzen
forgot-lead = Geben Sie Ihre Firmen-ID und die E-Mail-Adresse ein, mit der Sie sich anmelden. Wir senden Ihnen einen Link, mit dem Sie ein neues Passwort wählen.
forgot-submit = Link zum Zurücksetzen senden
forgot-back = Zurück zur Anmeldung
forgot-sent = Wenn es ein Konto mit dieser Firmen-ID und E-Mail-Adresse gibt, ist ein Link zum Wählen eines neuen Passworts an diese Adresse unterwegs. Er funktioniert einmal, innerhalb einer Stunde.

# Dashboard and licenses
dashboard-title = Übersicht
dashboard-welcome = Willkommen, { $name }
dashboard-no_role = Keine Lizenz zugewiesen
dashboard-company = Firma
dashboard-vendor = Anbieter
dashboard-as_manager = Als Lizenzmanager können Sie jedes Gerät Ihrer Lizenz zurücksetzen und auf dem Tab „Nutzer“ festlegen, wer sie verwendet.
dashboard-as_user = Als Lizenznutzer sehen Sie Ihre Lizenz und können Ihre eigenen Geräte zurücksetzen.
dashboard-no_license = Bitten Sie Ihren Lizenzmanager, Ihnen eine Lizenz zuzuweisen.
dashboard-open_console = Anbieterkonsole öffnen
dashboard-view_license = Ihre Lizenz ansehen
licenses-title = Lizenzen
licenses-empty = Ihnen ist noch keine Lizenz zugewiesen. Fragen Sie Ihren Lizenzmanager.
tabs-label = Lizenz
tabs-overview = Überblick
tabs-devices = Geräte
tabs-users = Nutzer
tabs-activity = Aktivität
usage-label = Nutzung
usage-seats = Belegte Plätze
usage-devices = Aktive Geräte
usage-deactivations = Genutzte Deaktivierungen
usage-meter = { $label }: { $used } von { $allowed }

# Overview tab and Reset license
overview-heading = Lizenz
overview-reset_done = Die Lizenz wurde zurückgesetzt: { $devices } deaktiviert und { $users } entfernt. { $left } übrig.
overview-seats = { $used } von { $allowed } belegt
overview-devices = { $used } von { $allowed } aktiv
overview-deactivations = { $used } von { $allowed } genutzt ({ $left } übrig)
overview-hint = Die Lizenz ist auf zu vielen Geräten aktiviert? Setzen Sie eines auf dem Tab { $link } zurück. Jedes Zurücksetzen verbraucht eine Deaktivierung; sind keine mehr übrig, bitten Sie Ihren Anbieter, das Limit zurückzusetzen.
reset_license-heading = Lizenz zurücksetzen
reset_license-hint = Neu anfangen, wenn die Lizenz auf Geräten oder bei Personen ist, bei denen sie nicht mehr sein soll: Alle Geräte und alle Nutzerzuweisungen werden auf einmal entfernt.
reset_license-open = Lizenz zurücksetzen…
reset_license-confirm_title = Die ganze Lizenz zurücksetzen?
reset_license-confirm_text = Dies deaktiviert alle { $devices } dieser Lizenz und entfernt alle Lizenznutzer; Lizenzmanager behalten ihre Plätze. Alle müssen die Desktop-App erneut aktivieren. Es verbraucht 1 der { $left }, die übrig sind.
reset_license-submit = Lizenz zurücksetzen

# Offline activation
offline-heading = Offline-Aktivierung
offline-hint = Für einen Computer ohne Internetverbindung: Wählen Sie in der Desktop-App die Offline-Aktivierung und speichern Sie die Aktivierungsanfrage-Datei, bringen Sie sie hierher und laden Sie eine Lizenzdatei für diesen Computer herunter. Kopieren Sie die Lizenzdatei auf den Computer und öffnen Sie sie in der App. Sie belegt einen Geräteplatz wie eine Online-Aktivierung und gilt bis zum Ende der Lizenz; das Zurücksetzen des Geräts auf dem Tab „Geräte“ gibt den Platz frei.
offline-file = Aktivierungsanfrage-Datei
offline-paste = Oder die Anfrage einfügen
offline-placeholder = { "{" }"format": "keyport-offline-request/1", …{ "}" }
offline-submit = Lizenzdatei herunterladen

# Devices tab
devices-heading = Geräte
devices-hint = Alle Geräte, auf denen die Lizenz aktiviert ist. Setzen Sie ein Gerät zurück, um seinen Platz freizugeben, wenn die Desktop-App meldet, dass die Lizenz auf zu vielen Geräten ist.
devices-done = { $name } wurde zurückgesetzt. { $left } übrig.
devices-empty = Auf dieser Lizenz ist kein Gerät aktiv.
devices-no_match = Kein aktives Gerät passt zu dieser Suche.
devices-search_label = Gerät nach Name oder Hardware-ID suchen
devices-search = Suchen
devices-device = Gerät
devices-os = Betriebssystem
devices-activated_by = Aktiviert von
devices-first_activated = Erstmals aktiviert
devices-last_seen = Zuletzt gesehen
devices-by_license_key = Lizenzschlüssel
devices-reset = Zurücksetzen
devices-reset_label = { $name } zurücksetzen
devices-confirm_title = { $name } zurücksetzen?
devices-confirm_text = Dies deaktiviert das Gerät: Die Desktop-App darauf muss erneut aktiviert werden. Es verbraucht 1 der { $left }, die auf dieser Lizenz übrig sind.
devices-submit = Gerät zurücksetzen

# Activity tab
activity-heading = Aktivität
activity-hint = Jede Änderung an dieser Lizenz: wer sie vorgenommen hat, wann und von welcher Adresse.
activity-subject = Gerät oder Nutzer
activity-ip = IP-Adresse

# Users tab
users-heading = Nutzer
users-hint = Die Personen, die diese Lizenz verwenden dürfen, je ein Platz. Lizenzmanager können hier alles tun; Lizenznutzer sehen die Lizenz und setzen ihre eigenen Geräte zurück.
users-created = Das Konto { $email } wurde angelegt.
users-created_assigned = Das Konto { $email } wurde angelegt und hat einen Platz erhalten.
users-invited = Einladung an { $email } gesendet.
users-invited_assigned = Einladung an { $email } gesendet, mit einem Platz auf dieser Lizenz.
users-invitation_resent = Eine neue Einladung wurde an { $email } gesendet. Der zuvor gesendete Link funktioniert nicht mehr.
users-invitation_pending = Einladung ausstehend
users-resend = Einladung erneut senden
users-resend_label = Einladung erneut an { $name } senden
users-assigned = { $name } ist jetzt Lizenznutzer.
users-unassigned = { $name } wurde entfernt; { $devices } deaktiviert (keine Deaktivierung verbraucht).
users-now_manager = { $name } ist jetzt Lizenzmanager.
users-now_user = { $name } ist jetzt Lizenznutzer.
users-seats_used = { $used } von { $allowed } Plätzen belegt; { $left }.
users-none_left = keiner frei
users-some_left = { $n } frei
users-more_seats = { $link } – oder entfernen Sie jemanden, der keinen Platz mehr braucht.
users-more_seats_link = So kaufen Sie zusätzliche Abonnements
users-role = Rolle
users-assigned_since = Zugewiesen seit
users-devices_in_use = Geräte in Gebrauch
users-last_manager = Letzter Manager
users-make_manager = Zum Manager machen
users-make_user = Zum Lizenznutzer machen
users-role_label = { $action }: { $name }
users-unassign = Entfernen
users-unassign_label = { $name } entfernen
users-unassign_title = { $name } entfernen?
users-unassign_text =
    { $n ->
        [one] { $name } verliert bei der nächsten Anfrage den Zugriff auf diese Lizenz, und das { $n } Gerät, das diese Person aktiviert hat, wird deaktiviert. Dies verbraucht keine Deaktivierung.
       *[other] { $name } verliert bei der nächsten Anfrage den Zugriff auf diese Lizenz, und die { $n } Geräte, die diese Person aktiviert hat, werden deaktiviert. Dies verbraucht keine Deaktivierung.
    }
users-unassign_submit = Nutzer entfernen
users-assign_heading = Lizenznutzer zuweisen
users-assign_none = Jedes Konto Ihrer Firma hat bereits einen Platz. Legen Sie unten einen Nutzer an, um jemanden hinzuzufügen.
users-account = Konto
users-assign_submit = Lizenznutzer zuweisen
users-create_heading = Nutzer anlegen
users-initial_password = Anfangspasswort
users-password_hint = Mindestens 8 Zeichen. Lassen Sie es leer, um der Person eine Einladung per E-Mail zu senden, mit der sie ihr eigenes Passwort wählt.
users-assign_seat = Jetzt einen Platz auf dieser Lizenz zuweisen
users-create_submit = Nutzer anlegen

# Set password and seats help
set_password-title = Passwort festlegen
set_password-lead = Für { $name } ({ $email }). Sie melden sich mit der Firmen-ID „{ $company }“ an.
set_password-new = Neues Passwort
set_password-confirm = Passwort bestätigen
set_password-submit = Passwort festlegen
seats_help-title = Weitere Plätze kaufen
seats_help-heading = Maximale Anzahl an Lizenznutzern erreicht
seats_help-intro = Jedes Abonnement Ihrer Lizenz bringt eine Anzahl Plätze mit, einen pro Lizenznutzer. Sind alle Plätze belegt, kann niemand weiteres zugewiesen werden, bis Sie mehr haben.
seats_help-how = So erhalten Sie mehr Plätze
seats_help-step1 = Kaufen Sie zusätzliche Abonnements desselben Produkts bei Ihrem Softwareanbieter (erweitern Sie Ihren Tarif auf seiner Website oder wenden Sie sich an seinen Vertrieb).
seats_help-step2 = Der Anbieter fügt sie Ihrer bestehenden Lizenz hinzu: Sie behalten eine Lizenz, und ihre Anzahl an Plätzen wächst. Es muss nichts erneut aktiviert werden.
seats_help-step3 = Weisen Sie danach auf dem Tab „Nutzer“ der Lizenz die neuen Lizenznutzer zu.
seats_help-free = Oder geben Sie einen Platz frei: Entfernen Sie jemanden, der die Software nicht mehr verwendet. Seine Geräte werden deaktiviert, ohne eine Deaktivierung zu verbrauchen.
seats_help-back = Zurück zu Ihren Lizenzen

# Vendor console
admin-title = Anbieterkonsole
admin-brand = Keyport · Anbieterkonsole
admin-customers = Kunden
admin-audit = Protokoll
admin-search_label = Kunden suchen
admin-search = Suchen
admin-no_customers = Kein Kunde passt.
admin-since = Seit
admin-create_customer = Kunde anlegen
admin-customer_name = Kundenname
admin-customer_created = Der Kunde wurde angelegt.
admin-customer_renamed = Der Kunde wurde umbenannt.
admin-no_seat = kein Platz
admin-add_account = Konto hinzufügen
admin-customer_log = Protokoll dieses Kunden
admin-rename = Umbenennen
admin-no_licenses = Noch keine Lizenz: Verkaufen Sie unten eine.
admin-sell = Lizenz verkaufen
admin-sell_first_account = Legen Sie zuerst das Konto der Person an, die sie gekauft hat; sie wird ihre Eigentümerin.
admin-owner = Eigentümer
admin-subscriptions_bought = Gekaufte Abonnements
admin-seats_per_subscription = Plätze pro Abonnement
admin-devices_per_subscription = Geräte pro Abonnement
admin-deactivations_allowed = Erlaubte Deaktivierungen
admin-valid_days = Gültig für (Tage)
admin-license_created = Die Lizenz wurde angelegt.
admin-subscriptions_added = { $subscriptions } hinzugefügt.
admin-limits_saved = Die Limits wurden gespeichert.
admin-limit_reset = Das Deaktivierungslimit wurde zurückgesetzt: Alle Deaktivierungen sind wieder verfügbar.
admin-license_suspended = Die Lizenz wurde gesperrt.
admin-license_resumed = Die Lizenz wurde wieder freigegeben.
admin-license_key = Lizenzschlüssel (nur jetzt angezeigt; Keyport speichert nur seinen Hash): { $key }
admin-reset_limit = Deaktivierungslimit zurücksetzen
admin-reset_limit_hint = Wenn der Kunde alle Deaktivierungen verbraucht hat und um mehr bittet. Der Grund kommt ins Protokoll.
admin-reason = Grund
admin-limits = Limits
admin-valid_until_utc = Gültig bis (UTC)
admin-save_limits = Limits speichern
admin-add_subscriptions = Abonnements hinzufügen
admin-subscriptions_to_add = Hinzuzufügende Abonnements
admin-suspend = Lizenz sperren
admin-resume = Lizenz freigeben
admin-suspend_hint = Eine gesperrte Lizenz weist die Desktop-App ab, bis sie wieder freigegeben wird.
admin-license_log = Protokoll dieser Lizenz
admin-who_filter = Wer (Name oder E-Mail)
admin-kind = Art
admin-any = Alle
admin-from = Von
admin-to = Bis
admin-filter = Filtern
admin-clear = Zurücksetzen
admin-license = Lizenz
admin-details = Details
admin-system = System

# Vendor console: LicenseSpring SDK page
integrations-nav = Integrationen
integrations-title = Integrationen
integrations-intro = Verbinden Sie Ihre eigenen Systeme mit Keyport: Ein Webshop verkauft und liest Lizenzen über die Verwaltungs-API mit einem hier erstellten Schlüssel.
integrations-keys = Schlüssel der Verwaltungs-API
integrations-keys_hint = Ein Schlüssel handelt nur für Ihr Unternehmen und wird einmal angezeigt, wenn er erstellt wird. Seine Änderungen erscheinen im Protokoll als „API key“ mit seinem Namen. Die API ist unter /api/v1/manage/openapi.json beschrieben.
integrations-key_name = Name
integrations-create_key = Schlüssel erstellen
integrations-created = Der Schlüssel { $name } wurde erstellt.
integrations-new_key = Kopieren Sie den Schlüssel jetzt, er wird nicht erneut angezeigt: { $key } Senden Sie ihn bei jeder Anfrage als „Authorization: Bearer“.
integrations-revoked_note = Der Schlüssel wurde widerrufen. Anfragen damit werden ab sofort abgelehnt.
integrations-no_keys = Es gibt noch keine Schlüssel.
integrations-prefix = Schlüssel beginnt mit
integrations-created_at = Erstellt
integrations-created_by = Erstellt von
integrations-last_used = Zuletzt verwendet
integrations-status = Status
integrations-never = Nie
integrations-revoke = Widerrufen
integrations-revoked = Widerrufen am
webhooks-title = Webhooks
webhooks-hint = Keyport sendet die Ereignisse Ihres Unternehmens sofort als JSON an diese Adressen, signiert mit dem Geheimnis des Endpunkts (Header Keyport-Signature; die README zeigt die Prüfung). Eine fehlgeschlagene Zustellung wird einen Tag lang wiederholt; die Reihenfolge der Ereignisse einer Lizenz bleibt erhalten.
webhooks-url = Adresse des Endpunkts
webhooks-events = Ereignisse
webhooks-add = Endpunkt hinzufügen
webhooks-created = Der Endpunkt { $url } wurde hinzugefügt.
webhooks-new_secret = Kopieren Sie das Signaturgeheimnis jetzt, es wird nicht erneut angezeigt: { $secret }
webhooks-deleted = Der Endpunkt wurde gelöscht. Es wird nichts mehr an ihn gesendet.
webhooks-redelivered = Die Zustellung wurde erneut eingereiht.
webhooks-none = Es gibt noch keine Webhook-Endpunkte.
webhooks-delete = Löschen
webhooks-deliveries = Letzte Zustellungen
webhooks-no_deliveries = Es wurde noch nichts gesendet.
webhooks-event = Ereignis
webhooks-attempts = Versuche
webhooks-redeliver = Erneut senden
webhooks-status-delivered = Zugestellt
webhooks-status-failed = Aufgegeben
webhooks-status-waiting = Wartet
webhooks-status-retrying = Wird wiederholt
licensespring-nav = LicenseSpring-SDK
licensespring-title = LicenseSpring-SDK
licensespring-intro = Apps, die auf dem SDK von LicenseSpring aufbauen, aktivieren mit diesen Einstellungen bei Keyport: Übergeben Sie sie der Configuration des SDK und den öffentlichen Schlüssel einer Unterklasse von SignatureVerifier (siehe „Migrating from LicenseSpring“ im README).
licensespring-configuration = Konfiguration
licensespring-reveal = Anzeigen
licensespring-hide = Verbergen
licensespring-no_products = Noch kein Produkt: Verkaufen Sie zuerst eine Lizenz.
licensespring-public_key = Öffentlicher Schlüssel
licensespring-public_key_hint = Keyport signiert seine Antworten mit diesem RSA-Schlüssel; SignatureVerifier.PUBLIC_KEY der App enthält ihn, damit die App nur Antworten dieses Servers annimmt.
licensespring-public_key_pem = Öffentlicher Schlüssel (PEM)
licensespring-copy = Kopieren
licensespring-copied = Kopiert.
licensespring-rotate = Gemeinsamen Schlüssel erneuern
licensespring-rotate_hint = Für einen gemeinsamen Schlüssel, der nach außen gelangt ist. API-Schlüssel und öffentlicher Schlüssel bleiben.
licensespring-rotate_confirm_title = Gemeinsamen Schlüssel erneuern?
licensespring-rotate_confirm_text = Der bisherige gemeinsame Schlüssel gilt ab sofort nicht mehr: Jede damit gebaute App wird abgewiesen, bis sie mit dem neuen neu gebaut ist.
licensespring-rotate_submit = Jetzt erneuern
licensespring-rotated = Der gemeinsame Schlüssel wurde erneuert. Mit dem alten gebaute Apps werden abgewiesen, bis sie mit dem neuen neu gebaut sind.

# Audit log: kinds and actions
audit-kind-device = Geräte
audit-kind-license = Lizenzen
audit-kind-user = Nutzer
audit-kind-customer = Kunden
audit-kind-signing_key = Signaturschlüssel
audit-action-device-activated = Gerät aktiviert
audit-action-device-reactivated = Gerät erneut aktiviert (neues Token)
audit-action-device-activated_offline = Gerät offline aktiviert (Lizenzdatei ausgestellt)
audit-action-device-reactivated_offline = Offline-Lizenzdatei erneut ausgestellt
audit-action-device-deactivated_by_app = Gerät von der App deaktiviert
audit-action-device-reset = Gerät zurückgesetzt
audit-action-device-removed_by_vendor = Gerät vom Hersteller entfernt
audit-action-device-limit_refused = Aktivierung abgelehnt: zu viele Geräte
audit-action-license-reset = Lizenz zurückgesetzt
audit-action-license-created = Lizenz angelegt
audit-action-license-key_issued = Lizenzschlüssel ausgestellt
audit-action-signing_key-created = Signaturschlüssel erzeugt
audit-action-signing_key-licensespring_created = LicenseSpring-API-Schlüssel erzeugt
audit-action-signing_key-licensespring_rotated = Gemeinsamer LicenseSpring-Schlüssel erneuert
audit-action-signing_key-api_key_created = Verwaltungs-API-Schlüssel angelegt
audit-action-signing_key-api_key_revoked = Verwaltungs-API-Schlüssel widerrufen
audit-action-tenant-webhook_redelivered = Webhook-Zustellung erneut gesendet
audit-action-tenant-webhook_deleted = Webhook-Endpunkt gelöscht
audit-action-tenant-webhook_created = Webhook-Endpunkt registriert
audit-action-license-subscriptions_added = Abonnements hinzugefügt
audit-action-customer-created = Kunde angelegt
audit-action-customer-renamed = Kunde umbenannt
audit-action-tenant-created = Anbieter angelegt
audit-action-tenant-mail_settings_changed = E-Mail-Einstellungen geändert
audit-action-license-deactivation_limit_reset = Deaktivierungslimit vom Anbieter zurückgesetzt
audit-action-license-limits_changed = Limits vom Anbieter geändert
audit-action-license-suspended = Lizenz gesperrt
audit-action-license-resumed = Lizenz freigegeben
audit-action-user-created = Nutzer angelegt
audit-action-user-assigned = Nutzer zugewiesen
audit-action-user-unassigned = Nutzer entfernt
audit-action-user-role_changed = Rolle geändert
audit-action-user-password_set = Passwort festgelegt
audit-kind-tenant = Anbieter
audit-subject-account_assigned = { $person }, mit Platz
audit-subject-unassigned = { $person }; { $devices } deaktiviert
audit-subject-role_changed = { $person }: { $role }
audit-subject-license_sold = { $type } für { $email }
audit-subject-license_key = Lizenzschlüssel (nie im Protokoll gezeigt)
audit-action-customer-imported = Kunde importiert
audit-action-user-imported = Benutzer importiert
audit-action-user-seat_imported = Platz importiert
audit-action-license-imported = Lizenz importiert (Schlüssel beibehalten)
audit-action-device-imported = Aktives Gerät importiert
audit-subject-imported = { $name } (Importdatei Zeile { $line })
audit-subject-mail_settings = Standardsprache { $language }, Support-Adresse { $support }
audit-subject-subscriptions_added = { $subscriptions } mehr
audit-subject-license_reset = { $devices } deaktiviert; { $users } entfernt
audit-subject-deactivation_limit_reset = { $used } zuvor verbraucht; Grund: { $reason }
audit-subject-limits = Plätze { $seats }, Geräte { $devices }, Deaktivierungen { $deactivations }, gültig bis { $until }
audit-subject-tenant = { $name }, Anbieter-Admin { $email }

# Errors (licensing::AppError)
error-unauthenticated = Bitte melden Sie sich an, um fortzufahren.
error-invalid_credentials = Firmen-ID, E-Mail oder Passwort ist falsch.
error-forbidden = Dazu haben Sie keine Berechtigung.
error-not_found = { $what }: nicht gefunden, oder Sie haben keinen Zugriff darauf.
error-invalid = { $field }: { $message }
error-too_many_devices = Diese Lizenz ist auf zu vielen Geräten aktiviert (das Limit ist { $allowed }). Setzen Sie auf dem Tab „Geräte“ der Lizenz ein Gerät zurück, um einen Platz freizugeben.
error-deactivation_limit_reached = Das Deaktivierungslimit ist erreicht: Alle { $allowed } Gerätezurücksetzungen dieser Lizenz sind verbraucht. Bitten Sie Ihren Anbieter, das Limit zurückzusetzen.
error-seat_limit_reached = Maximale Anzahl an Lizenznutzern erreicht ({ $allowed } Plätze). Kaufen Sie zusätzliche Abonnements, um mehr Nutzer zuzuweisen.
error-no_license = Diesem Konto ist keine Lizenz zugewiesen. Bitten Sie Ihren Lizenzmanager, Ihnen eine Lizenz zuzuweisen.
error-license_inactive = Diese Lizenz ist abgelaufen oder gesperrt. Wenden Sie sich an Ihren Anbieter, um sie zu verlängern.
error-device_deactivated = Dieses Gerät wurde deaktiviert. Aktivieren Sie es erneut, um die Software darauf zu verwenden.
error-too_many_attempts = Zu viele fehlgeschlagene Versuche. Versuchen Sie es in { $minutes } erneut.
error-unavailable = Keyport ist vorübergehend nicht erreichbar. Bitte versuchen Sie es gleich noch einmal.
error-busy = Keyport ist gerade ausgelastet. Bitte versuchen Sie es gleich noch einmal.
error-offline = Der Server ist nicht erreichbar. Prüfen Sie Ihre Verbindung und versuchen Sie es erneut.
error-internal = Bei uns ist etwas schiefgegangen. Bitte versuchen Sie es erneut; wenn es wieder passiert, wenden Sie sich an Ihren Anbieter.

# What was not found (licensing::Thing)
thing-account = Konto
thing-company = Firma
thing-customer = Kunde
thing-device = Gerät
thing-license = Lizenz
thing-message = E-Mail
thing-api_key = API-Schlüssel
thing-webhook_delivery = Webhook-Zustellung
thing-webhook_endpoint = Webhook-Endpunkt
thing-record = Eintrag
thing-user = Nutzer

# Field names of invalid input (licensing::Field); the API's and the CLI's names stay as they are
field-company_id = Firmen-ID
field-email = E-Mail
field-password = Passwort
field-confirm_password = Passwort bestätigen
field-name = Name
field-kind = Art
field-subscriptions = Abonnements
field-seats = Plätze
field-devices = Geräte
field-deactivations = Deaktivierungen
field-valid_until = Gültig bis
field-valid_for = Gültig für
field-language = Sprache
field-support_email = Support-Adresse
field-owner = Eigentümer
field-product = Produkt
field-reason = Grund
field-link = Link
field-customer = Kunde
field-type = Typ
field-role = Rolle
field-activation_request = Aktivierungsanfrage
field-form = Formular

# Why input was refused (licensing::InvalidReason); shown after the field's name
invalid-required = ist erforderlich.
invalid-required_for_audit = ist erforderlich: Sagen Sie, warum das Limit aufgehoben wird (es kommt ins Protokoll).
invalid-too_long = darf höchstens { $max } Zeichen lang sein.
invalid-at_least = muss mindestens { $min } sein.
invalid-at_most = darf höchstens { $max } sein.
invalid-not_negative = darf nicht negativ sein.
invalid-contains_nul = darf kein NUL-Zeichen enthalten.
invalid-line_break = muss in einer Zeile stehen.
invalid-common_password = ist eines der häufigsten Passwörter, die Angreifer zuerst ausprobieren. Wählen Sie ein anderes.
invalid-password_mismatch = stimmt nicht mit dem Passwort überein.
invalid-email_format = geben Sie eine Adresse wie name@example.com ein.
invalid-company_id_format = verwenden Sie 1 bis 64 Buchstaben, Ziffern, '-' oder '_'.
invalid-date_format = geben Sie ein Datum wie 2027-12-31 ein.
invalid-unknown_kind = ist keine Art von Ereignis.
invalid-unknown_role = muss Manager oder Nutzer sein.
invalid-unknown_language = muss eine der Sprachen des Portals sein: English, Deutsch, Français oder Español.
invalid-no_license_type = wählen Sie einen Lizenztyp.
invalid-after_start = muss nach dem Anfangsdatum liegen.
invalid-no_later_than_days = darf höchstens { $days } Tage in der Zukunft liegen.
invalid-not_of_customer = muss ein Konto dieses Kunden sein.
invalid-customer_mismatch = Kundenkonten brauchen einen Kunden, Anbieterkonten keinen.
invalid-would_exceed = die Lizenz würde { $max } überschreiten; fügen Sie weniger Abonnements hinzu.
invalid-personal_one_user = eine persönliche Lizenz hat genau einen Nutzer.
invalid-below_seats_in_use = { $used } sind belegt; entfernen Sie Nutzer, bevor Sie es darunter senken.
invalid-below_devices_active = { $active } sind aktiv; setzen Sie Geräte zurück, bevor Sie es darunter senken.
invalid-below_deactivations_used = { $used } sind verbraucht; setzen Sie das Deaktivierungslimit zurück, bevor Sie es darunter senken.
invalid-link_unusable = ist unbekannt, schon benutzt oder abgelaufen. Bitten Sie Ihren Lizenzmanager um einen neuen.
invalid-request_missing = wählen Sie die Anfragedatei, die die Desktop-App geschrieben hat, oder fügen Sie ihren Inhalt ein.
invalid-request_too_large = die Datei ist größer als { $kib } KiB; wählen Sie die Anfragedatei, die die Desktop-App geschrieben hat.
invalid-request_unreadable = dies ist keine Keyport-Aktivierungsanfrage ({ $detail }).
invalid-other_license = diese Anfrage gehört zu einer anderen Lizenz.
invalid-form_unsent = senden Sie das Formular mit der Anfragedatei oder ihrem eingefügten Inhalt.
invalid-form_unreadable = das Formular konnte nicht gelesen werden; bitte versuchen Sie es erneut.
invalid-too_short = muss mindestens { $min } Zeichen lang sein.
invalid-required_for_new_owner = ist erforderlich, wenn der Eigentümer noch kein Konto hat.
invalid-key_or_login = ist erforderlich, oder Firma, E-Mail und Passwort.
invalid-key_with_login = kann nicht mit Firma, E-Mail und Passwort kombiniert werden: senden Sie das eine oder das andere.
invalid-other_customer = dieses Konto gehört zu einem anderen Kunden.
invalid-no_vendor_admin = kein Anbieter-Admin mit dieser E-Mail unter dieser Firmen-ID.
invalid-not_vendor_admin = dieses Konto ist kein Anbieter-Admin des Mandanten.
invalid-request_not_json = dies ist keine Keyport-Aktivierungsanfrage (kein JSON: { $detail }).
invalid-request_no_format = dies ist keine Keyport-Aktivierungsanfrage (kein "format": "{ $expected }").
invalid-format_unsupported = „{ $given }“ wird nicht unterstützt; dieses Portal liest „{ $expected }“.
invalid-not_json_object = muss ein JSON-Objekt sein.
invalid-not_json = ist kein gültiges JSON.
invalid-unknown_field = ist kein bekanntes Feld.
invalid-not_valid = ist ungültig: { $detail }.
invalid-unreadable = konnte nicht gelesen werden.
invalid-stdin_unreadable = konnte nicht von der Standardeingabe gelesen werden.
invalid-malformed = { $detail }

# Conflicts (licensing::ConflictReason)
conflict-already_exists = Das gibt es bereits.
conflict-company_taken = Die Firmen-ID { $company } ist vergeben.
conflict-email_taken = Ein Konto mit der E-Mail { $email } gibt es bereits. Weisen Sie es zu, statt es erneut anzulegen.
conflict-personal_has_no_users = Eine persönliche Lizenz hat genau einen Nutzer; es gibt keine Nutzer zu verwalten.
conflict-license_changed = Die Lizenz hat sich geändert, während das Konto angelegt wurde. Versuchen Sie es erneut.
conflict-already_assigned = Diese Person ist bereits Nutzer dieser Lizenz.
conflict-last_manager = Eine Lizenz braucht mindestens einen Lizenzmanager. Machen Sie zuerst jemand anderen zum Manager.
conflict-nothing_to_reset = Es gibt nichts zurückzusetzen: Kein Gerät ist aktiv und kein Lizenznutzer ist zugewiesen.
conflict-invitation_used = Diese Person hat bereits ein Passwort gewählt, es gibt also keine Einladung zum erneuten Senden. Hat sie es vergessen, kann sie auf der Anmeldeseite „Passwort vergessen?“ verwenden.
conflict-device_already_reset = Das Gerät „{ $name }“ wurde bereits zurückgesetzt.
conflict-already_manager = { $name } ist bereits Lizenzmanager.
conflict-already_user = { $name } ist bereits Lizenznutzer.
conflict-already_suspended = Die Lizenz ist bereits gesperrt.
conflict-already_active = Die Lizenz ist bereits aktiv.
conflict-other_license_type = Die Lizenz des Kunden für { $product } ist von einem anderen Typ ({ $type }); ändern Sie ihren Typ, statt eine andere Art zu kaufen.
conflict-offline_only = Die Offline-Aktivierung gibt es nur für Offline-Organisationslizenzen, und diese ist von einem anderen Typ ({ $type }). Aktivieren Sie die Desktop-App stattdessen online.
conflict-order_reused = Die Bestellung { $order } wurde bereits mit anderem Inhalt aufgegeben. Senden Sie eine neue Bestell-ID für eine neue Bestellung.
conflict-order_in_progress = Die Bestellung { $order } wird gerade von einer anderen Anfrage aufgegeben. Senden Sie sie gleich noch einmal, um die Antwort zu erhalten.
conflict-owner_of_other_customer = { $email } hat bereits ein Konto bei einem anderen Kunden. Verwenden Sie für den Inhaber dieses Kunden eine andere E-Mail-Adresse.

# Seats an account holds, in the vendor console
seat-manager_of = Lizenzmanager von { $product }
seat-user_of = Lizenznutzer von { $product }

outbox-nav = E-Mail
outbox-title = E-Mail
outbox-intro = Jede E-Mail, die Keyport für Ihre Kunden geschrieben hat, die neueste zuerst. Ohne SMTP-Server (--smtp-url) warten die Nachrichten hier, damit Sie genau sehen, was gesendet würde.
outbox-settings = E-Mail-Einstellungen
outbox-default_language = Sprache der E-Mails an Personen, die keine gewählt haben
outbox-support_email = Support-Adresse (Antworten gehen hierhin)
outbox-support_hint = Lassen Sie die Support-Adresse leer, damit Antworten an die Absenderadresse (--mail-from) gehen. Alle anderen erhalten E-Mails in der Sprache, die sie zuletzt im Portal verwendet haben.
outbox-settings_save = E-Mail-Einstellungen speichern
outbox-settings_saved = Die E-Mail-Einstellungen wurden gespeichert.
outbox-empty = Noch keine E-Mail.
outbox-to = An
outbox-subject = Betreff
outbox-kind = Art
outbox-status = Status
outbox-pages = Seiten der E-Mails
outbox-newer = Neuere
outbox-older = Ältere
outbox-text = Text
outbox-last_error = Letzter Fehler
outbox-status-waiting = Wartet auf den Versand
outbox-status-retrying = Noch nicht zugestellt; neuer Versuch folgt
outbox-status-sent = Gesendet
outbox-status-failed = Nicht zugestellt (aufgegeben)
outbox-kind-credentials = Zugangsdaten nach einem Kauf
outbox-kind-receipt = Beleg für neue Abonnements
outbox-kind-invitation = Einladung
outbox-kind-invitation_refused = Einladung abgelehnt
outbox-kind-password_reset = Passwort zurücksetzen
outbox-kind-password_changed = Passwort geändert

## Importe (keyport import licensespring): der Bericht
import-refused-unreadable = die Zeile ist nicht lesbar ({ $detail })
import-refused-missing = { $field } fehlt
import-refused-bad_value = { $field } „{ $value }“ ist nicht { $expected }
import-expected-whole_number = eine ganze Zahl von 0 bis { $max }
import-expected-true_or_false = true oder false
import-expected-license_type = perpetual, time-limited oder subscription
import-expected-license_id = eine LicenseSpring-Lizenz-ID (eine ganze Zahl)
import-expected-email = eine E-Mail-Adresse
import-expected-date_or_time = ein Datum (2024-09-27) oder eine Uhrzeit (2024-09-27T23:30:48Z)
import-expected-plain_text = Text ohne Steuerzeichen
import-expected-at_most = Text mit höchstens { $chars } Zeichen
import-expected-free_product_code = ein Kurzcode, nach dem kein anderes Produkt benannt ist
import-refused-key_on_another_customer = dieser Lizenzschlüssel gehört hier zur Lizenz eines anderen Kunden
import-refused-key_taken = dieser Lizenzschlüssel wird auf diesem Server schon verwendet
import-refused-id_on_another_license = die Lizenz-ID { $id } gehört hier zu einer anderen Lizenz
import-refused-customer_has_product = der Kunde hat schon eine { $product }-Lizenz (Keyport führt eine Lizenz je Kunde und Produkt; fügen Sie ihr stattdessen Abonnements hinzu)
import-refused-email_of_another_customer = { $email } ist hier ein Konto eines anderen Kunden
import-refused-unknown_license = keine Lizenz { $license } in der Lizenzdatei oder hier: importieren Sie zuerst die Lizenzen
import-refused-floating = Floating-Lizenzen werden nicht unterstützt
import-refused-consumption = Verbrauchslizenzen werden nicht unterstützt
import-refused-device_limit = das Gerätelimit der Lizenz ({ $allowed }) ist erreicht; das Gerät wurde nicht importiert
import-refused-seat_limit = Maximale Anzahl an Lizenzbenutzern erreicht ({ $allowed })
import-refused-duplicate = derselbe Eintrag kam schon in Zeile { $line }, mit anderen Werten
import-refused-row = { $file }, Zeile { $line }: { $reason }
import-file-licenses = Lizenzdatei
import-file-users = Benutzerdatei
import-file-devices = Gerätedatei
import-object-product = Produkte
import-object-customer = Kunden
import-object-account = Konten
import-object-license = Lizenzen
import-object-seat = Plätze
import-object-device = Aktive Geräte
import-dry_run = Probelauf: nichts wurde geschrieben. Der Import würde Folgendes ändern:
import-count = { $object }: { $created } angelegt, { $unchanged } schon vorhanden
import-count-dry = { $object }: { $created } anzulegen, { $unchanged } schon vorhanden
import-nothing_changed = Nichts geändert: alles aus diesen Dateien ist schon vorhanden.
import-unknown_columns = Ignorierte Spalten (nicht von LicenseSpring): { $columns }
import-refused =
    { $n ->
        [one] { $n } Zeile abgelehnt (der Rest wurde importiert):
       *[other] { $n } Zeilen abgelehnt (der Rest wurde importiert):
    }
import-refused-dry =
    { $n ->
        [one] { $n } Zeile würde abgelehnt (der Rest würde importiert):
       *[other] { $n } Zeilen würden abgelehnt (der Rest würde importiert):
    }
import-notified =
    { $n ->
        [one] { $n } Einladung zum Festlegen des Passworts vorgemerkt: der laufende Server verschickt sie.
       *[other] { $n } Einladungen zum Festlegen des Passworts vorgemerkt: der laufende Server verschickt sie.
    }

## Herstellerkonsole: der Import
field-licenses_file = Lizenzdatei
field-users_file = Benutzerdatei
field-devices_file = Gerätedatei
invalid-no_import_file = wählen Sie mindestens eine Datei: Lizenzen, Benutzer oder Geräte.
invalid-file_too_large = der Upload ist größer als { $mib } MiB; teilen Sie den Export auf oder bitten Sie Ihren Administrator, --import-max-mib zu erhöhen.
invalid-not_utf8 = ist kein UTF-8-Text; speichern Sie die Datei als UTF-8 und laden Sie sie erneut hoch.
thing-import_job = Import
imports-nav = Import
imports-title = Import aus LicenseSpring
imports-intro = Übernehmen Sie Ihre Kunden mit ihren Lizenzschlüsseln, Benutzern und aktiven Geräten. Schlüssel und LicenseSpring-Lizenz-IDs bleiben erhalten, installierte Apps arbeiten ohne erneute Aktivierung weiter. Dieselben Dateien ein zweites Mal ändern nichts, was der erste Lauf schrieb.
imports-upload = Einen Export hochladen
imports-upload_hint = Die Lizenz-CSV so, wie LicenseSpring sie exportiert; Benutzer und Geräte als JSON-Zeilen (siehe README). Jede der drei Dateien ist optional: Geräte und Benutzer nennen zuvor importierte Lizenzen.
imports-license_type = Typ der importierten Lizenzen
imports-deactivations = Erlaubte Deaktivierungen je Lizenz
imports-dry_run_label = Probelauf: jede Zeile prüfen und melden, was sich ändern würde, nichts schreiben
imports-start = Import starten
imports-invitations = E-Mails zum Festlegen des Passworts
imports-awaiting =
    { $n ->
        [one] { $n } importierte Person hat noch kein Passwort und keinen gültigen Link zum Festlegen.
       *[other] { $n } importierte Personen haben noch kein Passwort und keinen gültigen Link zum Festlegen.
    }
imports-notify = E-Mails zum Festlegen des Passworts senden
imports-none = Noch keine Importe.
imports-latest = Letzte Importe
imports-by = Von
imports-files = Dateien
imports-status-queued = Wartet auf den Start
imports-status-starting = Liest die Dateien
imports-status-running = Läuft: { $done } von { $total } Zeilen
imports-status-checked = Geprüft (Probelauf)
imports-status-done = Fertig
imports-status-failed = Angehalten: die Datenbank ist ausgefallen
imports-job_title = Import
imports-back = Alle Importe
imports-progress = Fortschritt
imports-speed = { $rate } Zeilen pro Sekunde, noch etwa { $left } s
imports-speed-minutes = { $rate } Zeilen pro Sekunde, noch etwa { $left } min
imports-resumed = Der Server hielt an, während dieser Import lief; er wurde vom Anfang seiner Dateien fortgesetzt (bereits Importiertes zählt als vorhanden).
imports-failed_hint = Der Import hielt an, weil die Datenbank ausfiel. Bereits importierte Blöcke bleiben; laden Sie dieselben Dateien erneut hoch, um ihn abzuschließen: nichts wird doppelt importiert.
imports-report = Bericht
imports-more_refused =
    { $n ->
        [one] …und { $n } weitere abgelehnte Zeile im heruntergeladenen Bericht.
       *[other] …und { $n } weitere abgelehnte Zeilen im heruntergeladenen Bericht.
    }
imports-download = Bericht herunterladen
imports-download_json = als JSON
