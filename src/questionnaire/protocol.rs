//! The form protocol: the names of the hidden fields a questionnaire's form
//! carries from page to page, and the values they take. Every page that
//! writes one and every handler that reads one names it from here. A field
//! of the service begins with `_`, which no question id can (`FormInput`
//! tells them apart by that).

/// The index of the page a form shows, `START_PAGE` or `CHECK_PAGE`.
pub const PAGE_FIELD: &str = "_page";
/// `PAGE_FIELD` on the start page.
pub const START_PAGE: &str = "start";
/// `PAGE_FIELD` on the "check your answers" page.
pub const CHECK_PAGE: &str = "check";
/// The buttons' field: `next` (continue, or send on the last step) or `BACK`.
pub const ACTION_FIELD: &str = "_action";
/// `ACTION_FIELD` of the Back button: move without checking anything.
pub const BACK: &str = "back";
/// `ACTION_FIELD` of "Back to the survey" on a page opened from the form
/// (`ASIDE_FIELD`): the same step again, nothing checked.
pub const STAY: &str = "stay";
/// The buttons that open a page of information from inside the form
/// (`SAFETY_ASIDE`, `PRIVACY_ASIDE`): posted with every answer, so that
/// nothing is lost and no answer ever goes into an address.
pub const ASIDE_FIELD: &str = "_aside";
/// `ASIDE_FIELD` of "Using this safely".
pub const SAFETY_ASIDE: &str = "safety";
/// `ASIDE_FIELD` of the privacy page.
pub const PRIVACY_ASIDE: &str = "privacy";
/// The language buttons on a form page: the same step again, in this
/// language, with every answer kept.
pub const SWITCH_LANGUAGE_FIELD: &str = "_switch_lang";
/// The check page's "Change" buttons: the id of the question to change.
pub const CHANGE_FIELD: &str = "_change";
/// The language the person answers in.
pub const LANGUAGE_FIELD: &str = "_lang";
/// The version of the questionnaire the form shows.
pub const VERSION_FIELD: &str = "_version";
/// The form's one-time submission token, drawn when it is started.
pub const SUBMISSION_FIELD: &str = "_submission";
/// Kiosk mode (`1`), kept on through a submission.
pub const KIOSK_FIELD: &str = "_kiosk";
/// A coded questionnaire's one-time code.
pub const CODE_FIELD: &str = "_code";
/// The "admitted" mark of a code found live on the start page (`codes::admitted`).
pub const ADMITTED_FIELD: &str = "_admitted";
/// The query parameter that brings a code to the start page (`?kod=`), from
/// a card's QR code or the start page's own form.
pub const CODE_PARAMETER: &str = "kod";
