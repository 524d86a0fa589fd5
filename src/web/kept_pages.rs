//! Pages made from one version of a questionnaire alone, kept for as long as
//! that version is served: an open questionnaire's start page depends on
//! nothing but its version, the language, kiosk mode and the exit site, so
//! it is rendered once for each and then sent as the same bytes to everyone
//! (most of what serving it used to cost, issue 8). A new version, as a live
//! reload brings, starts without kept pages.

use std::collections::HashMap;
use std::sync::{Arc, PoisonError, RwLock, Weak};

use bytes::Bytes;

use crate::questionnaire::Questionnaire;

/// Rendered pages of each questionnaire's served version, by a key naming
/// everything else they depend on. The keys come from a few settings, never
/// from what a visitor typed, so the pages kept stay few.
#[derive(Debug, Default)]
pub struct KeptPages(RwLock<HashMap<String, Kept>>);

/// The pages of one questionnaire, and the version they were made from: the
/// very value served (not only its version string), as a test may serve a
/// changed copy of the same file.
#[derive(Debug)]
struct Kept {
    made_from: Weak<Questionnaire>,
    pages: HashMap<String, Bytes>,
}

impl KeptPages {
    /// The page kept for `questionnaire` under `key`, made with `render` the
    /// first time (a page that cannot be made is not kept). Nothing but the
    /// look-up runs on a hit: this is the busiest page of the service.
    pub fn get_or_render<E>(
        &self,
        questionnaire: &Arc<Questionnaire>,
        key: String,
        render: impl FnOnce() -> Result<Bytes, E>,
    ) -> Result<Bytes, E> {
        let made_from_this =
            |kept: &Kept| kept.made_from.upgrade().is_some_and(|made| Arc::ptr_eq(&made, questionnaire));
        {
            let all = self.0.read().unwrap_or_else(PoisonError::into_inner);
            if let Some(page) =
                all.get(&questionnaire.id).filter(|kept| made_from_this(kept)).and_then(|kept| kept.pages.get(&key))
            {
                return Ok(page.clone());
            }
        }
        let page = render()?;
        let mut all = self.0.write().unwrap_or_else(PoisonError::into_inner);
        let kept = all
            .entry(questionnaire.id.clone())
            .or_insert_with(|| Kept { made_from: Arc::downgrade(questionnaire), pages: HashMap::new() });
        if !made_from_this(kept) {
            *kept = Kept { made_from: Arc::downgrade(questionnaire), pages: HashMap::new() };
        }
        kept.pages.insert(key, page.clone());
        Ok(page)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn questionnaire(title: &str) -> Arc<Questionnaire> {
        let source = format!(
            "id = \"k\"\nlanguages = [\"en\"]\ntitle = {{ en = \"{title}\" }}\n\n[[question]]\nid = \"q\"\ntype = \"text\"\ntext = {{ en = \"Q\" }}\n"
        );
        Arc::new(crate::questionnaire::parse(std::path::Path::new("k.toml"), &source).expect("valid"))
    }

    #[test]
    fn a_page_is_rendered_once_per_version_served_and_key() {
        let kept = KeptPages::default();
        let (first, second) = (questionnaire("One"), questionnaire("Two"));
        let mut renders = 0;
        let mut render = |text: &'static str| {
            renders += 1;
            Ok::<_, ()>(Bytes::from(text))
        };
        assert_eq!(kept.get_or_render(&first, "sv".into(), || render("first sv")).unwrap(), "first sv");
        assert_eq!(kept.get_or_render(&first, "sv".into(), || render("again")).unwrap(), "first sv", "kept");
        assert_eq!(kept.get_or_render(&first, "en".into(), || render("first en")).unwrap(), "first en", "another key");
        assert_eq!(
            kept.get_or_render(&second, "sv".into(), || render("second sv")).unwrap(),
            "second sv",
            "a new version"
        );
        let copy = Arc::new((*second).clone());
        assert_eq!(kept.get_or_render(&copy, "sv".into(), || render("copy sv")).unwrap(), "copy sv", "a changed copy");
        assert_eq!(renders, 4);
    }
}
