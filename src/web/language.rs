//! The language of a respondent's pages: the one asked for in the URL
//! (`?lang=`) or carried by the form (`_lang`), else the one the browser
//! prefers (`Accept-Language`), else the questionnaire's first. The choice
//! is never stored and never put in a cookie: once made, it travels in the
//! page's links and form, as a choice made in the URL does.

use std::convert::Infallible;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderValue, header};
use tower_http::set_header::SetResponseHeaderLayer;

use crate::locale::{self, Locale};
use crate::questionnaire::Questionnaire;

/// The request's `Accept-Language` header (empty when there is none, or
/// when it is not readable text).
#[derive(Debug, Clone, Default)]
pub struct AcceptLanguage(String);

impl<S: Send + Sync> FromRequestParts<S> for AcceptLanguage {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let header = parts.headers.get(header::ACCEPT_LANGUAGE).and_then(|value| value.to_str().ok());
        Ok(AcceptLanguage(header.unwrap_or_default().to_owned()))
    }
}

impl AcceptLanguage {
    /// The language of `questionnaire` to show: `asked` if it has it, else
    /// the one the browser prefers among its languages, else its first.
    pub fn choose<'q>(&self, questionnaire: &'q Questionnaire, asked: Option<&str>) -> &'q str {
        let asked = asked.filter(|asked| questionnaire.languages.iter().any(|language| language == asked));
        questionnaire.language(asked.or_else(|| locale::preferred(&self.0, &questionnaire.languages)))
    }

    /// The same among every language enkat speaks, for the pages that
    /// belong to no questionnaire (the privacy page).
    pub fn choose_locale(&self, asked: Option<&str>) -> &'static Locale {
        let codes: Vec<&str> = locale::LOCALES.iter().map(|locale| locale.code.as_str()).collect();
        let chosen = asked.and_then(locale::find).map(|locale| locale.code.as_str());
        locale::get(chosen.or_else(|| locale::preferred(&self.0, &codes)).unwrap_or_default())
    }
}

/// The layer for the respondent's pages: they differ by `Accept-Language`,
/// which a cache between the browser and the service must know. A plain
/// tower layer, not axum middleware: it boxes nothing per request.
pub fn vary_by_language() -> SetResponseHeaderLayer<HeaderValue> {
    SetResponseHeaderLayer::appending(header::VARY, HeaderValue::from_static("accept-language"))
}
