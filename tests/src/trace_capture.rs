//! A `tracing` layer that keeps every span and event, with their fields as text, so tests
//! can check what a client logs and that no secret is among it.

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::sync::{Arc, Mutex, OnceLock, PoisonError};

use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::subscriber::Interest;
use tracing::{Event, Subscriber};
use tracing_subscriber::Layer;
use tracing_subscriber::layer::{Context, SubscriberExt};
use tracing_subscriber::registry::LookupSpan;

/// A span as captured: its name and every field recorded on it, last value wins.
#[derive(Debug, Clone, Default)]
pub struct CapturedSpan {
    /// The span's name.
    pub name: String,
    /// Its level, e.g. `INFO`.
    pub level: String,
    /// Field name to the value's `Debug` text (a string shows without quotes).
    pub fields: BTreeMap<String, String>,
}

/// An event as captured, with the name of the span it happened in.
#[derive(Debug, Clone, Default)]
pub struct CapturedEvent {
    /// Its level, e.g. `INFO`.
    pub level: String,
    /// Its target, e.g. `baseten::runtime::send`.
    pub target: String,
    /// The name of the innermost span it happened in, if any.
    pub span: Option<String>,
    /// Field name to value text; the message is the field `message`.
    pub fields: BTreeMap<String, String>,
}

/// Everything captured so far.
#[derive(Debug, Default)]
pub struct Captured {
    /// Spans in creation order.
    pub spans: Vec<CapturedSpan>,
    /// Events in order.
    pub events: Vec<CapturedEvent>,
    live: HashMap<u64, usize>,
}

impl Captured {
    /// Every span of this name.
    pub fn spans_named(&self, name: &str) -> Vec<&CapturedSpan> {
        self.spans.iter().filter(|s| s.name == name).collect()
    }

    /// Every event whose message is `message`.
    pub fn events_with_message(&self, message: &str) -> Vec<&CapturedEvent> {
        self.events
            .iter()
            .filter(|e| e.fields.get("message").map(String::as_str) == Some(message))
            .collect()
    }

    /// All names and values as one text, for checking that something never appears.
    pub fn all_text(&self) -> String {
        format!("{:?}\n{:?}", self.spans, self.events)
    }
}

/// The handle a test keeps to read what was captured.
#[derive(Debug, Clone, Default)]
pub struct Capture(Arc<Mutex<Captured>>);

impl Capture {
    /// Installs a capturing subscriber for the current thread until the guard is dropped.
    /// With `#[tokio::test]` (one thread) that covers the client and its connections.
    pub fn start() -> (Capture, tracing::subscriber::DefaultGuard) {
        // With a single dispatcher registered, tracing decides a callsite's interest from the
        // default of whichever thread reaches it first: a test thread without a subscriber
        // would cache "never" for this one too. A second dispatcher, kept for the life of
        // the process, makes it ask every registered dispatcher instead.
        static SECOND: OnceLock<tracing::Dispatch> = OnceLock::new();
        SECOND.get_or_init(|| tracing::Dispatch::new(tracing::subscriber::NoSubscriber::default()));
        let capture = Capture::default();
        let subscriber = tracing_subscriber::registry().with(CaptureLayer(capture.clone()));
        let guard = tracing::subscriber::set_default(subscriber);
        (capture, guard)
    }

    /// Reads what was captured.
    pub fn with<R>(&self, read: impl FnOnce(&Captured) -> R) -> R {
        read(&self.0.lock().unwrap_or_else(PoisonError::into_inner))
    }

    fn update(&self, change: impl FnOnce(&mut Captured)) {
        change(&mut self.0.lock().unwrap_or_else(PoisonError::into_inner));
    }
}

struct CaptureLayer(Capture);

impl<S: Subscriber + for<'a> LookupSpan<'a>> Layer<S> for CaptureLayer {
    /// Each callsite asks the thread's subscriber at every span and event: the other test
    /// threads have none, so "always" would not hold for them.
    fn register_callsite(&self, _: &'static tracing::Metadata<'static>) -> Interest {
        Interest::sometimes()
    }

    fn on_new_span(&self, attrs: &Attributes<'_>, id: &Id, _ctx: Context<'_, S>) {
        let mut span = CapturedSpan {
            name: attrs.metadata().name().to_owned(),
            level: attrs.metadata().level().to_string(),
            fields: BTreeMap::new(),
        };
        attrs.record(&mut Fields(&mut span.fields));
        self.0.update(|captured| {
            captured.live.insert(id.into_u64(), captured.spans.len());
            captured.spans.push(span);
        });
    }

    fn on_record(&self, id: &Id, values: &Record<'_>, _ctx: Context<'_, S>) {
        self.0.update(|captured| {
            if let Some(&index) = captured.live.get(&id.into_u64()) {
                values.record(&mut Fields(&mut captured.spans[index].fields));
            }
        });
    }

    fn on_event(&self, event: &Event<'_>, ctx: Context<'_, S>) {
        let mut captured_event = CapturedEvent {
            level: event.metadata().level().to_string(),
            target: event.metadata().target().to_owned(),
            span: ctx.event_span(event).map(|s| s.name().to_owned()),
            fields: BTreeMap::new(),
        };
        event.record(&mut Fields(&mut captured_event.fields));
        self.0
            .update(|captured| captured.events.push(captured_event));
    }

    fn on_close(&self, id: Id, _ctx: Context<'_, S>) {
        self.0.update(|captured| {
            captured.live.remove(&id.into_u64());
        });
    }
}

struct Fields<'a>(&'a mut BTreeMap<String, String>);

impl Visit for Fields<'_> {
    fn record_str(&mut self, field: &Field, value: &str) {
        self.0.insert(field.name().to_owned(), value.to_owned());
    }

    fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
        self.0.insert(field.name().to_owned(), format!("{value:?}"));
    }
}
