//! A questionnaire in pages, with conditions (`tests/fixtures/pages/steg.toml`),
//! answered as a browser without JavaScript does: every step is a form post
//! that carries the answers so far, nothing is stored before the final send,
//! questions and pages whose condition is false are skipped, and the server
//! decides again at the end, whatever the form carried.

use crate::common::{Backend, Page, TestApp, answer};
use axum::http::StatusCode;
use enkat::questionnaire::Answer;

on_both_databases!(
    the_first_page_shows_its_questions_and_the_progress,
    a_walk_through_every_page_stores_only_at_the_final_send,
    a_page_whose_condition_holds_is_shown_and_its_required_question_enforced,
    back_keeps_every_answer_and_checks_nothing,
    a_required_question_whose_condition_is_false_is_not_required,
    a_question_conditioned_on_an_earlier_page_is_decided_before_the_page_is_shown,
    the_check_page_lists_the_answers_and_change_leads_back_to_the_question,
    an_answer_to_a_hidden_question_is_discarded,
    an_invalid_option_in_an_earlier_pages_carried_answers_is_refused,
    a_page_that_does_not_exist_is_refused,
    the_safety_and_privacy_pages_open_from_the_form_and_return_with_every_answer,
    a_language_button_shows_the_same_page_in_the_other_language_with_every_answer,
);

const URL: &str = "/s/steg";

async fn app(backend: Backend) -> TestApp {
    TestApp::with_questionnaires(backend, "tests/fixtures/pages").await
}

/// What a person does on `page`: choose these answers (replacing what the
/// page held for those questions), then press the button `action`.
async fn step(app: &TestApp, page: &Page, answers: &[(&str, &[&str])], action: &str) -> Page {
    press(app, page, answers, ("_action", action)).await
}

/// Sends `page`'s form with `answers` changed, by the button `(name, value)`.
async fn press(app: &TestApp, page: &Page, answers: &[(&str, &[&str])], (button, value): (&str, &str)) -> Page {
    let mut fields = page.form_fields();
    for (question, values) in answers {
        fields.retain(|(name, _)| name != question);
        fields.extend(values.iter().map(|value| (question.to_string(), value.to_string())));
    }
    fields.push((button.to_owned(), value.to_owned()));
    let fields: Vec<(&str, &str)> = fields.iter().map(|(name, value)| (name.as_str(), value.as_str())).collect();
    app.post_form(URL, &fields).await
}

/// The questions a page holds, by id.
fn questions_on(page: &Page) -> Vec<String> {
    page.attributes("form .question", "id")
        .into_iter()
        .map(|id| id.trim_start_matches("question-").to_owned())
        .collect()
}

async fn stored(app: &TestApp) -> Vec<Vec<Answer>> {
    app.store.responses("steg").await.unwrap().into_iter().map(|response| response.answers).collect()
}

async fn the_first_page_shows_its_questions_and_the_progress(backend: Backend) {
    let app = app(backend).await;
    let page = app.start(URL).await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(page.text(".progress"), "Sida 1 av 3", "the move page is not counted until the move is ticked");
    assert_eq!(page.text("h2.page-title"), "Stödet du fick");
    assert_eq!(page.text("title"), "Stödet i steg – Sida 1 av 3");
    // Without JavaScript the follow-up on the same page is there to answer,
    // and says when it applies; the script hides it until then.
    assert_eq!(questions_on(&page), ["received", "helped"]);
    assert!(page.attributes(".question[hidden]", "id").is_empty());
    assert_eq!(page.attributes("#question-helped", "data-show-if-none-of"), ["none"]);
    assert_eq!(
        page.text("#question-helped .condition-note"),
        "Svara bara om du svarade på frågan \u{201d}Vilket praktiskt stöd fick du?\u{201d} utan att välja \u{201d}Inget av detta\u{201d}."
    );
    assert_eq!(page.texts("button[name=_action]"), ["Fortsätt"], "no Back on the first page");
    assert!(page.header("set-cookie").is_empty(), "no cookie keeps the answers");
}

async fn a_walk_through_every_page_stores_only_at_the_final_send(backend: Backend) {
    let app = app(backend).await;
    let first = app.start(URL).await;
    let second = step(&app, &first, &[("received", &["belongings"]), ("helped", &["yes"])], "next").await;
    assert_eq!(second.status, StatusCode::OK);
    assert_eq!(second.text(".progress"), "Sida 2 av 3");
    assert_eq!(questions_on(&second), ["missing"], "`why_not` is only for those who did not answer");
    assert!(stored(&app).await.is_empty(), "nothing is stored between pages");

    let third =
        step(&app, &second, &[("missing", &["move"]), ("missing.other", &["Någon som följer med"])], "next").await;
    assert_eq!(third.text(".progress"), "Sida 3 av 3", "the move page is skipped: no move was received");
    assert_eq!(third.text("h2.page-title"), "Med egna ord");
    assert_eq!(third.texts("button[name=_action]"), ["Fortsätt", "Tillbaka"]);

    let check = step(&app, &third, &[("comment", &["Tack."])], "next").await;
    assert_eq!(check.text("h2.page-title"), "Kontrollera dina svar");
    assert!(stored(&app).await.is_empty(), "nothing is stored before the final send");

    let sent = step(&app, &check, &[], "next").await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER);
    assert_eq!(sent.header("location"), "/s/steg/tack?lang=sv");
    assert_eq!(
        stored(&app).await,
        [vec![
            answer("received", Some("belongings"), None),
            answer("helped", Some("yes"), None),
            answer("missing", Some("move"), None),
            answer("missing", Some("other"), Some("Någon som följer med")),
            answer("comment", None, Some("Tack.")),
        ]]
    );
}

async fn a_page_whose_condition_holds_is_shown_and_its_required_question_enforced(backend: Backend) {
    let app = app(backend).await;
    let first = app.start(URL).await;
    let second = step(&app, &first, &[("received", &["move"]), ("helped", &["no"])], "next").await;
    assert_eq!(second.text(".progress"), "Sida 2 av 4", "ticking the move brings its page in");
    let move_page = step(&app, &second, &[], "next").await;
    assert_eq!(move_page.text("h2.page-title"), "Flytten");
    assert_eq!(move_page.text(".progress"), "Sida 3 av 4");

    let refused = step(&app, &move_page, &[], "next").await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(refused.text("title"), "Fel: Stödet i steg – Sida 3 av 4");
    assert_eq!(refused.texts(".error-summary li a"), ["Hur gick flytten?"]);
    assert_eq!(refused.texts(".error-summary-message"), ["Välj ett svar."]);

    let last = step(&app, &refused, &[("move_rating", &["well"])], "next").await;
    assert_eq!(last.text("h2.page-title"), "Med egna ord");
}

async fn back_keeps_every_answer_and_checks_nothing(backend: Backend) {
    let app = app(backend).await;
    let first = app.start(URL).await;
    let second = step(&app, &first, &[("received", &["move", "belongings"]), ("helped", &["yes"])], "next").await;
    // Back from a page with a half-done answer: nothing is checked, and the
    // typed text comes back too when the person returns.
    let back = step(&app, &second, &[("missing", &["other"]), ("missing.other", &["Juridik"])], "back").await;
    assert_eq!(back.status, StatusCode::OK);
    assert_eq!(back.text(".progress"), "Sida 1 av 4");
    assert!(back.is_checked("received", "move") && back.is_checked("received", "belongings"));
    assert!(back.is_checked("helped", "yes"));
    assert!(back.texts("nav.languages a").is_empty(), "no language link, which would lose the answers");
    assert_eq!(back.attributes("nav.languages button[form=questionnaire-form]", "value"), ["en"], "a button instead");

    let again = step(&app, &back, &[], "next").await;
    assert!(again.is_checked("missing", "other"));
    assert_eq!(again.attributes("input[name='missing.other']", "value"), ["Juridik"]);
}

async fn a_required_question_whose_condition_is_false_is_not_required(backend: Backend) {
    let app = app(backend).await;
    let first = app.start(URL).await;
    let second = step(&app, &first, &[("received", &["none"])], "next").await;
    assert_eq!(second.status, StatusCode::OK, "`helped` is required only for those who got support");
    assert_eq!(second.text("h2.page-title"), "Det som saknades");

    let refused = step(&app, &first, &[("received", &["move"])], "next").await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "with support ticked, `helped` must be answered");
    assert_eq!(refused.texts(".error-summary li a"), ["Hjälpte stödet dig?"]);
    assert_eq!(refused.texts(".error-summary-message"), ["Välj ett svar."]);
}

async fn a_question_conditioned_on_an_earlier_page_is_decided_before_the_page_is_shown(backend: Backend) {
    let app = app(backend).await;
    let first = app.start(URL).await;
    let second = step(&app, &first, &[], "next").await;
    assert_eq!(questions_on(&second), ["missing", "why_not"], "`received` was left unanswered");
    assert!(second.texts(".condition-note").is_empty(), "decided already: no note needed");
}

async fn the_check_page_lists_the_answers_and_change_leads_back_to_the_question(backend: Backend) {
    let app = app(backend).await;
    let first = app.start("/s/steg?lang=en").await;
    let second = step(&app, &first, &[("received", &["belongings"]), ("helped", &["yes"])], "next").await;
    let third = step(&app, &second, &[("missing", &["nothing"])], "next").await;
    let check = step(&app, &third, &[], "next").await;
    assert_eq!(check.text("h2.page-title"), "Check your answers");
    assert_eq!(
        check.texts(".check-answer dt"),
        [
            "Which practical support did you get?",
            "Did the support help you?",
            "Which support did you miss?",
            "Anything else you want to say?"
        ]
    );
    assert_eq!(
        check.texts(".check-answer dd:not(.change)"),
        ["Help to fetch belongings", "Yes", "I missed nothing", "Not answered"]
    );
    assert_eq!(check.attributes("button[name=_change]", "formaction")[2], "/s/steg#question-missing");

    let mut fields = check.form_fields();
    fields.push(("_change".to_owned(), "missing".to_owned()));
    let fields: Vec<(&str, &str)> = fields.iter().map(|(name, value)| (name.as_str(), value.as_str())).collect();
    let change = app.post_form(URL, &fields).await;
    assert_eq!(change.text("h2.page-title"), "What was missing");
    assert!(change.is_checked("missing", "nothing"));
    assert!(stored(&app).await.is_empty());
}

async fn an_answer_to_a_hidden_question_is_discarded(backend: Backend) {
    let app = app(backend).await;
    // A form made by hand: "none of these", yet an answer to the follow-up
    // and to the move page, neither of which this person was shown.
    let page = app
        .post_form(
            URL,
            &[
                ("_lang", "sv"),
                ("_page", "check"),
                ("_action", "next"),
                ("received", "none"),
                ("helped", "no"),
                ("move_rating", "badly"),
                ("missing", "nothing"),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    assert_eq!(
        stored(&app).await,
        [vec![answer("received", Some("none"), None), answer("missing", Some("nothing"), None)]]
    );
}

async fn an_invalid_option_in_an_earlier_pages_carried_answers_is_refused(backend: Backend) {
    let app = app(backend).await;
    let first = app.start(URL).await;
    let second = step(&app, &first, &[("received", &["belongings"]), ("helped", &["yes"])], "next").await;
    // The carried answer to page 1 is altered on page 2.
    let refused = step(&app, &second, &[("received", &["belongings", "limousine"])], "next").await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(refused.text("h2.page-title"), "Stödet du fick", "the page with the problem is shown");
    assert_eq!(refused.texts(".error-summary li a"), ["Vilket praktiskt stöd fick du?"]);
    assert_eq!(refused.texts(".error-summary-message"), ["Svaret finns inte bland alternativen. Välj ett av dem."]);
    let sent = app
        .post_form(URL, &[("_page", "check"), ("_action", "next"), ("received", "limousine"), ("missing", "nothing")])
        .await;
    assert_eq!(sent.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(stored(&app).await.is_empty(), "nothing is stored");
}

async fn a_page_that_does_not_exist_is_refused(backend: Backend) {
    let app = app(backend).await;
    for page in ["9", "-1", "second"] {
        let refused = app.post_form(URL, &[("_page", page), ("_action", "next"), ("missing", "nothing")]).await;
        assert_eq!(refused.status, StatusCode::BAD_REQUEST, "page `{page}`");
    }
    assert!(stored(&app).await.is_empty());
}

/// What a form page's buttons outside its form send with it: their `form`
/// attribute names the questionnaire's form.
#[track_caller]
fn outside_buttons(page: &Page) -> Vec<(String, String)> {
    let names = page.attributes("button[form=questionnaire-form]", "name");
    let values = page.attributes("button[form=questionnaire-form]", "value");
    names.into_iter().zip(values).collect()
}

async fn the_safety_and_privacy_pages_open_from_the_form_and_return_with_every_answer(backend: Backend) {
    let app = app(backend).await;
    let first = app.start(URL).await;
    let second = step(&app, &first, &[("received", &["move"]), ("helped", &["yes"])], "next").await;
    assert_eq!(
        outside_buttons(&second),
        [("_switch_lang", "en"), ("_aside", "safety"), ("_aside", "privacy")]
            .map(|(n, v)| (n.to_owned(), v.to_owned())),
        "the footer's pages and the other language are buttons that send the form"
    );
    assert_eq!(
        second.attributes(".site-footer a", "href"),
        ["/tillganglighet?lang=sv"],
        "of the footer's links only the accessibility statement stays a link"
    );

    // Opened in the middle of page 2, with a half-done answer on it.
    let safety =
        press(&app, &second, &[("missing", &["other"]), ("missing.other", &["Juridik"])], ("_aside", "safety")).await;
    assert_eq!(safety.status, StatusCode::OK);
    assert_eq!(safety.text("h1"), "Säker användning");
    assert_eq!(safety.header("cache-control"), "no-store", "no more trace than the form itself");
    assert_eq!(safety.texts("form.aside button[value=stay]").len(), 2, "a way back at the top and at the foot");
    assert!(stored(&app).await.is_empty(), "nothing stored on the way");
    // Nothing of the answers is shown on it, but all of them are carried.
    assert!(!safety.body.contains("Juridik<") && safety.texts("input[type=checkbox], input[type=radio]").is_empty());

    let back = press(&app, &safety, &[], ("_action", "stay")).await;
    assert_eq!(back.status, StatusCode::OK);
    assert_eq!(back.text(".progress"), "Sida 2 av 4", "the move page counts: the move was ticked");
    assert!(back.texts(".error-summary").is_empty(), "nothing is checked on the way back");
    assert!(back.is_checked("missing", "other"));
    assert_eq!(back.attributes("input[name='missing.other']", "value"), ["Juridik"]);
    let first_again = step(&app, &back, &[], "back").await;
    assert!(first_again.is_checked("received", "move") && first_again.is_checked("helped", "yes"));

    let privacy = press(&app, &back, &[], ("_aside", "privacy")).await;
    assert_eq!(privacy.text("h1"), "Integritet");
    assert!(privacy.text("main").contains("Uppsala kommun, socialförvaltningen"), "the contact, as configured");
    let back = press(&app, &privacy, &[], ("_action", "stay")).await;
    assert!(back.is_checked("missing", "other"));

    // A made-up page of information is not one: the step goes on as sent.
    let made_up = press(&app, &back, &[("_action", &["next"])], ("_aside", "passwords")).await;
    assert_eq!(made_up.text(".progress"), "Sida 3 av 4", "{}", made_up.body);
}

async fn a_language_button_shows_the_same_page_in_the_other_language_with_every_answer(backend: Backend) {
    let app = app(backend).await;
    let first = app.start(URL).await;
    let second = step(&app, &first, &[("received", &["move"]), ("helped", &["yes"])], "next").await;
    let english =
        press(&app, &second, &[("missing", &["other"]), ("missing.other", &["Juridik"])], ("_switch_lang", "en")).await;
    assert_eq!(english.status, StatusCode::OK);
    assert_eq!(english.attributes("html", "lang"), ["en"]);
    assert_eq!(english.text("h2.page-title"), "What was missing", "the same page");
    assert!(english.texts(".error-summary").is_empty(), "nothing is checked");
    assert!(english.is_checked("missing", "other"));
    assert_eq!(english.attributes("input[name='missing.other']", "value"), ["Juridik"]);
    assert_eq!(english.attributes("input[name=_lang]", "value"), ["en"], "and the form goes on in English");
    assert_eq!(outside_buttons(&english)[0], ("_switch_lang".to_owned(), "sv".to_owned()));

    let first_again = step(&app, &english, &[], "back").await;
    assert_eq!(first_again.text("h2.page-title"), "The support you got");
    assert!(first_again.is_checked("received", "move"));

    // A language the questionnaire does not have: the form's own language.
    let unknown = press(&app, &second, &[], ("_switch_lang", "fi")).await;
    assert_eq!(unknown.attributes("html", "lang"), ["sv"]);
    assert_eq!(unknown.text("h2.page-title"), "Det som saknades");
}
