//! Pages made from one version of a questionnaire alone, kept with that
//! version: a new version, as a live reload brings, starts without them.

use std::collections::HashMap;
use std::fmt;
use std::sync::{PoisonError, RwLock};

use bytes::Bytes;

/// Rendered pages, by a key naming everything else they depend on (the
/// language, kiosk mode, the exit site), chosen by whoever renders them.
/// The keys come from a few settings, never from what a visitor typed, so
/// the pages kept stay few.
#[derive(Default)]
pub struct Rendered(RwLock<HashMap<String, Bytes>>);

impl Rendered {
    /// The page kept under `key`, if one is.
    pub fn get(&self, key: &str) -> Option<Bytes> {
        self.0.read().unwrap_or_else(PoisonError::into_inner).get(key).cloned()
    }

    /// Keeps `page` under `key` for as long as this version is served.
    pub fn keep(&self, key: String, page: Bytes) {
        self.0.write().unwrap_or_else(PoisonError::into_inner).insert(key, page);
    }
}

/// A copy starts empty: it may be changed before it is served (a test's
/// variant of a questionnaire), and its pages must then be made anew.
impl Clone for Rendered {
    fn clone(&self) -> Rendered {
        Rendered::default()
    }
}

impl fmt::Debug for Rendered {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kept = self.0.read().unwrap_or_else(PoisonError::into_inner).len();
        formatter.debug_struct("Rendered").field("pages", &kept).finish()
    }
}
