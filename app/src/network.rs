//! Offline tolerance in the browser: whether the server can be reached, the offline banner, no
//! changes attempted while it cannot, and fresh data when it can again.
//!
//! Nothing is queued: while offline every form in the page sits in a disabled fieldset, so a
//! change is either sent now or not at all. On the server (and without JavaScript) the portal is
//! always "online" and none of this renders anything.

use leptos::prelude::*;
use licensing::AppError;
use std::future::Future;

/// How often the browser asks `/health` whether the server is back, while it is offline.
#[cfg(feature = "hydrate")]
const PROBE_EVERY: std::time::Duration = std::time::Duration::from_secs(5);

/// The page's view of the connection, shared through the context.
#[derive(Clone, Copy)]
pub struct Network {
    online: RwSignal<bool>,
    /// When data last arrived from the server (browser clock, Unix milliseconds).
    last_update: RwSignal<Option<i64>>,
    /// Bumped when the connection returns; every page's data source reads it, so it reloads.
    epoch: RwSignal<u32>,
}

impl Network {
    /// Provides the context for the whole app and, in the browser, starts listening for the
    /// connection going and coming back.
    pub fn provide() -> Self {
        let network = Self {
            online: RwSignal::new(true),
            last_update: RwSignal::new(None),
            epoch: RwSignal::new(0),
        };
        provide_context(network);
        #[cfg(feature = "hydrate")]
        network.watch();
        network
    }

    pub fn online(&self) -> bool {
        self.online.get()
    }

    /// Read by every resource's source so that reconnecting refetches the page's data.
    pub fn epoch(&self) -> u32 {
        self.epoch.get()
    }

    pub fn last_update(&self) -> Option<i64> {
        self.last_update.get()
    }

    /// Awaits a server function, noting a successful answer's time or that the server could not
    /// be reached.
    pub async fn track<T>(
        self,
        request: impl Future<Output = Result<T, AppError>>,
    ) -> Result<T, AppError> {
        let result = request.await;
        match &result {
            Err(AppError::Offline) => self.went_offline(),
            // Any answer at all, even an error, came from the server.
            _ => self.answered(),
        }
        result
    }

    /// A request got no answer: show the banner and start asking whether the server is back.
    pub fn went_offline(self) {
        #[cfg(feature = "hydrate")]
        {
            if self.online.get_untracked() {
                self.online.set(false);
            }
        }
    }

    fn answered(self) {
        #[cfg(feature = "hydrate")]
        self.last_update.set(Some(js_sys::Date::now() as i64));
    }
}

#[cfg(feature = "hydrate")]
impl Network {
    fn watch(self) {
        // The server rendered this page's data just now.
        self.answered();
        register_service_worker();
        let navigator = window().navigator();
        if !navigator.on_line() {
            self.went_offline();
        }
        let offline = window_event_listener(leptos::ev::offline, move |_| self.went_offline());
        // The browser's `online` is only a hint (a network, not necessarily our server): ask.
        let online = window_event_listener(leptos::ev::online, move |_| {
            leptos::task::spawn_local(self.probe())
        });
        on_cleanup(move || {
            offline.remove();
            online.remove();
        });
        // While offline, ask every few seconds whether the server is back.
        Effect::new(move |interval: Option<Option<IntervalHandle>>| {
            let interval = interval.flatten();
            if self.online.get() {
                if let Some(interval) = interval {
                    interval.clear();
                }
                None
            } else {
                interval.or_else(|| {
                    set_interval_with_handle(
                        move || leptos::task::spawn_local(self.probe()),
                        PROBE_EVERY,
                    )
                    .ok()
                })
            }
        });
    }

    /// Asks the server whether it is there; coming back refreshes the page's data once.
    async fn probe(self) {
        let up = gloo_net::http::Request::get("/health")
            .cache(web_sys::RequestCache::NoStore)
            .send()
            .await
            .is_ok_and(|response| response.ok());
        if up && window().navigator().on_line() {
            if !self.online.get_untracked() {
                self.online.set(true);
                self.epoch.update(|epoch| *epoch += 1);
            }
            self.answered();
        } else if !up {
            self.went_offline();
        }
    }
}

/// The service worker keeps the app's assets and the offline page for when the network is gone.
/// Only the hydrated app registers it: the pages work without JavaScript, but offline they cannot.
#[cfg(feature = "hydrate")]
fn register_service_worker() {
    let container = window().navigator().service_worker();
    let promise = container.register("/sw.js");
    leptos::task::spawn_local(async move {
        if let Err(error) = wasm_bindgen_futures::JsFuture::from(promise).await {
            leptos::logging::warn!("service worker not registered: {error:?}");
        }
    });
}

/// The network context, or an always-online one where none was provided (tests of one component).
pub fn use_network() -> Network {
    use_context::<Network>().unwrap_or_else(|| Network {
        online: RwSignal::new(true),
        last_update: RwSignal::new(None),
        epoch: RwSignal::new(0),
    })
}

/// The banner saying the portal is offline, since when its data is, and that changes wait. It
/// lives in a live region that is always in the page, so screen readers hear it appear.
#[component]
pub fn OfflineBanner() -> impl IntoView {
    let network = use_network();
    view! {
        <div role="status" class="offline-region">
            <Show when=move || !network.online()>
                <div class="offline-banner" id="offline-banner">
                    <strong>{crate::i18n::t("network-offline")}</strong>
                    " "
                    {move || {
                        network
                            .last_update()
                            .map(|at| {
                                crate::i18n::t_args(
                                    "network-loaded_at",
                                    &[("time", &crate::format::format_time(at))],
                                )
                            })
                    }}
                    " "
                    {crate::i18n::t("network-changes_off")}
                </div>
            </Show>
        </div>
    }
}

/// Holds every form of the page: while offline the fieldset disables all their buttons and
/// fields at once, and each disabled button shows why (see `.offline-guard` in the style).
#[component]
pub fn OfflineGuard(children: Children) -> impl IntoView {
    let network = use_network();
    let guard = NodeRef::<leptos::html::Fieldset>::new();
    // Set through the CSSOM, not a style attribute, which the Content-Security-Policy forbids.
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        if let Some(guard) = guard.get() {
            let reason = crate::i18n::t("network-reason");
            let quoted = format!("\"{}\"", reason.replace('\\', "\\\\").replace('"', "\\\""));
            let _ = web_sys::HtmlElement::style(&guard).set_property("--offline-reason", &quoted);
        }
    });
    view! {
        <fieldset
            class="offline-guard"
            node_ref=guard
            disabled=move || !network.online()
            aria-describedby=move || (!network.online()).then_some("offline-banner")
        >
            {children()}
        </fieldset>
    }
}
