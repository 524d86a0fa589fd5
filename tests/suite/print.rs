//! The paper form (issue 18), on both databases: staff print the whole
//! questionnaire, every question and option of the shipped Nexus form in
//! Swedish and in Arabic, in order and numbered; conditions written out in
//! words; refused to anyone not logged in; an unknown language named as
//! such with the languages there are; `enkat print` writes the same
//! document; and a batch of codes printed as one paper form per code, each
//! code exactly once with its QR code, under the neutral title.

use std::collections::BTreeSet;

use crate::common::{Backend, Page, TestApp};
use axum::http::StatusCode;
use enkat::questionnaire::Questionnaire;
use scraper::{ElementRef, Selector};

on_both_databases!(
    staff_get_every_question_and_option_of_the_shipped_form_in_swedish_and_arabic,
    conditions_and_options_from_an_earlier_answer_are_written_out_in_words,
    an_anonymous_request_is_sent_to_log_in_and_shown_nothing,
    an_unknown_language_is_an_error_page_naming_the_languages_there_are,
    a_batch_printed_as_paper_forms_has_each_code_once_with_its_qr_code_under_the_neutral_title,
    an_unknown_printout_or_language_is_refused_on_the_batch_form_and_no_codes_are_made,
);

/// Whitespace folded, as a reader sees it.
fn folded(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The text of an element as written, its pieces joined without a space:
/// a number isolated in `<bdi>` on an Arabic page stays part of its word.
fn text_of(element: ElementRef) -> String {
    folded(&element.text().collect::<String>())
}

#[track_caller]
fn selector(css: &str) -> Selector {
    Selector::parse(css).expect("a valid selector")
}

/// Every question on paper, in order: its id, its number, its text and
/// the texts beside its boxes.
fn printed_questions(page: &Page) -> Vec<(String, String, String, Vec<String>)> {
    let html = page.html();
    let (number, text, option) =
        (selector(".paper-number"), selector(".question-text"), selector(".paper-option-text"));
    html.select(&selector(".paper-question"))
        .map(|question| {
            let one = |css: &Selector| question.select(css).next().map(text_of).unwrap_or_default();
            (
                question.value().attr("data-question").unwrap_or_default().to_owned(),
                one(&number),
                one(&text),
                question.select(&option).map(text_of).collect(),
            )
        })
        .collect()
}

/// What the paper form must show for `questionnaire` in `language`: every
/// question, numbered from 1 in file order, with every option (a scale's
/// "don't know" last) and "Something else:" where the question has it.
fn expected_questions(questionnaire: &Questionnaire, language: &str) -> Vec<(String, String, String, Vec<String>)> {
    let other = &enkat::locale::get(language).other_label;
    questionnaire
        .questions
        .iter()
        .enumerate()
        .map(|(index, question)| {
            let mut options: Vec<String> =
                question.kind.choices().iter().map(|choice| folded(choice.text.get(language))).collect();
            if question.kind.has_other() {
                options.push(other.clone());
            }
            (question.id.clone(), format!("{}.", index + 1), folded(question.text.get(language)), options)
        })
        .collect()
}

async fn staff_get_every_question_and_option_of_the_shipped_form_in_swedish_and_arabic(backend: Backend) {
    let app = TestApp::shipped(backend).await;
    let cookie = app.logged_in_admin().await;
    let nexus = app.catalog.get("nexus").unwrap();
    assert!(nexus.questions.len() > 10, "the whole shipped form, not a sample");
    for (language, dir) in [("sv", "ltr"), ("ar", "rtl")] {
        let page = app.get_as(&cookie, &format!("/staff/q/nexus/print?lang={language}")).await;
        assert_eq!(page.status, StatusCode::OK, "{language}: {}", page.body);
        assert_eq!(page.attributes("html", "lang"), [language]);
        assert_eq!(page.attributes("html", "dir"), [dir]);
        assert_eq!(
            printed_questions(&page),
            expected_questions(nexus, language),
            "{language}: every question and option, in order"
        );
        // Every page's title, in order.
        let titles: Vec<String> = nexus
            .pages
            .iter()
            .filter_map(|page| page.title.as_ref())
            .map(|title| title.get(language).to_owned())
            .collect();
        assert_eq!(page.texts("h2"), titles, "{language}");
        // With `neutral_title`, the heading says only "Enkät" / "استبيان".
        assert!(nexus.neutral_title);
        assert_eq!(page.text("h1"), enkat::locale::get(language).neutral_title, "{language}");
        assert!(
            !page.body.contains(nexus.title.get(language)),
            "{language}: the title that names Nexus is not on paper"
        );
        // Paper: nothing to click, type in or press.
        for control in ["form", "input", "button", "select", "textarea", "nav", "script", ".staff-bar"] {
            assert!(page.texts(control).is_empty(), "{language}: no {control}");
        }
        // Tick one, or several; the exclusive option after "or", with its rule.
        let locale = enkat::locale::get(language);
        let instructions = page.texts(".paper-instruction");
        assert_eq!(instructions.len(), nexus.questions.len(), "{language}");
        assert_eq!(instructions.iter().filter(|text| **text == locale.print.tick_several).count(), 2, "{language}");
        assert_eq!(page.texts(".paper-divider"), [locale.or.clone(), locale.or.clone()], "{language}");
        assert_eq!(page.texts(".paper-exclusive .paper-exclusive-note").len(), 2, "{language}");
        assert!(page.texts(".paper-exclusive-note")[0].contains(&locale.print.exclusive), "{language}");
        // A box to tick for every option and every "don't know", lines for the comment.
        let boxes: usize = expected_questions(nexus, language).iter().map(|(_, _, _, options)| options.len()).sum();
        assert_eq!(page.html().select(&selector(".paper-box")).count(), boxes, "{language}");
        assert_eq!(page.html().select(&selector("[data-question=comment] .paper-line")).count(), 8, "{language}");
        assert_eq!(
            page.html().select(&selector("[data-question=missing_support] .paper-other .paper-write")).count(),
            1
        );
        // Its own stylesheet, allowed by its hash and nothing else.
        assert!(page.body.contains("@page"), "{language}: the print stylesheet");
        assert!(page.header("content-security-policy").contains("style-src 'sha256-"), "{language}");
    }
}

async fn conditions_and_options_from_an_earlier_answer_are_written_out_in_words(backend: Backend) {
    let app = TestApp::shipped(backend).await;
    let cookie = app.logged_in_admin().await;
    let nexus = app.catalog.get("nexus").unwrap();
    let number = |id: &str| nexus.questions.iter().position(|question| question.id == id).unwrap() + 1;
    let page = app.get_as(&cookie, "/staff/q/nexus/print?lang=sv").await;
    let received = number("received_support");
    let missing = number("missing_support");
    assert_eq!(
        page.texts(".paper-condition"),
        [
            format!("Svara bara om du svarade på fråga {received} utan att kryssa i ”Jag fick inget praktiskt stöd”."),
            format!("Välj bland det du kryssade i fråga {missing}."),
        ]
    );
    let arabic = app.get_as(&cookie, "/staff/q/nexus/print?lang=ar").await;
    let conditions = arabic.html().select(&selector(".paper-condition")).map(text_of).collect::<Vec<_>>();
    assert_eq!(
        conditions,
        [
            format!("أجب فقط إذا أجبت عن السؤال {received} دون أن تضع علامة على «لم أحصل على أي دعم عملي»."),
            format!("اختر مما وضعت عليه علامة في السؤال {missing}."),
        ]
    );
    // "Which would have helped most" prints every option of the list.
    let most_needed = printed_questions(&page).into_iter().find(|(id, ..)| id == "most_needed").unwrap();
    assert_eq!(most_needed.3.len(), nexus.question("most_needed").unwrap().kind.choices().len());

    // A condition of every kind, and one on a whole page.
    let app = TestApp::with_questionnaires(backend, "tests/fixtures/pages").await;
    let cookie = app.logged_in_admin().await;
    let page = app.get_as(&cookie, "/staff/q/steg/print?lang=sv").await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(
        page.texts(".paper-condition"),
        [
            "Svara bara om du svarade på fråga 1 utan att kryssa i ”Inget av detta”.",
            "Svara bara om du inte svarade på fråga 1.",
            "Hoppa över den här delen om du inte kryssade i något av detta i fråga 1: ”Hjälp att flytta”.",
        ]
    );
    let english = app.get_as(&cookie, "/staff/q/steg/print?lang=en").await;
    assert_eq!(
        english.texts(".paper-page .paper-condition")[2],
        "Skip this part if you did not tick any of these in question 1: “Help to move”."
    );
}

async fn an_anonymous_request_is_sent_to_log_in_and_shown_nothing(backend: Backend) {
    let app = TestApp::shipped(backend).await;
    let page = app.get("/staff/q/nexus/print?lang=sv").await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    assert!(page.header("location").starts_with("/staff/login?next="), "{}", page.header("location"));
    assert!(!page.body.contains("Nexus"));
}

async fn an_unknown_language_is_an_error_page_naming_the_languages_there_are(backend: Backend) {
    let app = TestApp::shipped(backend).await;
    let cookie = app.logged_in_admin().await;
    let page = app.get_as(&cookie, "/staff/q/nexus/print?lang=fi").await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
    assert_eq!(page.text("h1"), "Enkäten finns inte på det språket");
    let text = page.text("main");
    for named in ["sv (Svenska)", "en (English)", "ar (العربية)"] {
        assert!(text.contains(named), "names {named}: {text}");
    }
    assert_eq!(app.get_as(&cookie, "/staff/q/ingen/print?lang=sv").await.status, StatusCode::NOT_FOUND);
    // No language: the questionnaire's first.
    let page = app.get_as(&cookie, "/staff/q/nexus/print").await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(page.attributes("html", "lang"), ["sv"]);
}

#[tokio::test]
async fn enkat_print_writes_the_same_document_as_the_staff_page() {
    let app = TestApp::shipped(Backend::Sqlite).await;
    let cookie = app.logged_in_admin().await;
    let folder = tempfile::tempdir().unwrap();
    for language in ["sv", "ar"] {
        let file = folder.path().join(format!("nexus-{language}.html"));
        let output = std::process::Command::new(env!("CARGO_BIN_EXE_enkat"))
            .args(["print", "nexus", "--lang", language, "-o"])
            .arg(&file)
            .args(["--questionnaires", "questionnaires"])
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .output()
            .expect("enkat runs");
        assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
        let written = std::fs::read_to_string(&file).unwrap();
        let served = app.get_as(&cookie, &format!("/staff/q/nexus/print?lang={language}")).await;
        assert_eq!(written, served.body, "{language}: the file is the staff page, byte for byte");
    }
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_enkat"))
        .args(["print", "nexus", "--lang", "fi", "-o"])
        .arg(folder.path().join("fi.html"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("enkat runs");
    assert!(!output.status.success());
    let error = String::from_utf8_lossy(&output.stderr);
    assert!(error.contains("no language `fi`") && error.contains("sv, en, ar"), "{error}");
    assert!(!folder.path().join("fi.html").exists(), "nothing written");
}

/// The shipped Nexus form answered with one-time codes, in a folder of its
/// own: every question of the real form, under its neutral title.
fn coded_nexus() -> tempfile::TempDir {
    let folder = tempfile::tempdir().unwrap();
    let source = std::fs::read_to_string("questionnaires/nexus.toml").unwrap();
    let coded = source.replacen("id = \"nexus\"\n", "id = \"nexus\"\naccess = \"code\"\n", 1);
    assert_ne!(coded, source, "the id line is where the test expects it");
    std::fs::write(folder.path().join("nexus.toml"), coded).unwrap();
    folder
}

async fn coded_app(backend: Backend) -> (TestApp, tempfile::TempDir, String, String) {
    let folder = coded_nexus();
    let app = TestApp::with_questionnaires(backend, folder.path().to_str().unwrap()).await;
    let cookie = app.logged_in_admin().await;
    let csrf = app.csrf_token(&cookie).await;
    (app, folder, cookie, csrf)
}

async fn a_batch_printed_as_paper_forms_has_each_code_once_with_its_qr_code_under_the_neutral_title(backend: Backend) {
    let (app, _folder, cookie, csrf) = coded_app(backend).await;
    let form = app.get_as(&cookie, "/staff/q/nexus/codes").await;
    assert_eq!(form.attributes("input[name=print]", "value"), ["cards", "forms"], "the choice is on the batch form");
    assert_eq!(form.attributes("select[name=lang] option", "value"), ["sv", "en", "ar"]);
    let fields =
        [("_csrf", csrf.as_str()), ("count", "20"), ("label", "Mottagningen"), ("print", "forms"), ("lang", "ar")];
    let page = app.post_form_as(&cookie, "/staff/q/nexus/codes", &fields).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert_eq!(page.attributes("html", "lang"), ["ar"]);
    let copies = page.html().select(&selector("article.paper-copy")).count();
    assert_eq!(copies, 20, "one paper form per code");
    let codes = page.texts(".paper-code-value");
    assert_eq!(codes.len(), 20);
    assert_eq!(codes.iter().collect::<BTreeSet<_>>().len(), 20, "each code on one form only");
    for code in &codes {
        assert_eq!(
            page.body.matches(code.as_str()).count(),
            2,
            "{code}: printed once, and named once in its QR code's label"
        );
        enkat::codes::Code::parse(code).expect("a well-formed code");
    }
    // Each form carries its own QR code, to the card's address with its code.
    let html = page.html();
    for copy in html.select(&selector("article.paper-copy")) {
        let code = copy.select(&selector(".paper-code-value")).next().map(text_of).unwrap();
        let qr = copy.select(&selector(".paper-code svg.qr")).collect::<Vec<_>>();
        assert_eq!(qr.len(), 1, "{code}: one QR code");
        assert!(qr[0].value().attr("aria-label").unwrap().contains(&code), "{code}");
        // Every copy is the whole form, under the neutral title.
        assert_eq!(
            copy.select(&selector(".paper-question")).count(),
            app.catalog.get("nexus").unwrap().questions.len()
        );
        assert_eq!(copy.select(&selector("h1")).map(text_of).collect::<Vec<_>>(), ["استبيان"]);
        let once = copy.select(&selector(".paper-code-once")).map(text_of).collect::<Vec<_>>();
        assert_eq!(once, [enkat::locale::get("ar").print.code_once.clone()]);
    }
    assert!(!page.body.contains("ما رأيك في الدعم الذي قدّمته Nexus"), "the title naming Nexus is not printed");
    // The codes were made: one batch of 20, and a form's code opens the form.
    let batches = app.store.code_batches(app.catalog.get("nexus").unwrap(), app.today()).await.unwrap();
    assert_eq!(batches.iter().map(|batch| batch.size).collect::<Vec<_>>(), [20]);
    let start = app.get(&format!("/s/nexus?kod={}", codes[0])).await;
    assert_eq!(start.status, StatusCode::OK);

    // The cards are still the default.
    let fields = [("_csrf", csrf.as_str()), ("count", "20"), ("label", "Kort")];
    let cards = app.post_form_as(&cookie, "/staff/q/nexus/codes", &fields).await;
    assert_eq!(cards.texts(".card-code").len(), 20);
    assert!(cards.texts(".paper-copy").is_empty());
}

async fn an_unknown_printout_or_language_is_refused_on_the_batch_form_and_no_codes_are_made(backend: Backend) {
    let (app, _folder, cookie, csrf) = coded_app(backend).await;
    for (print, lang, problem) in [
        ("posters", "sv", "Välj om koderna ska skrivas ut som kort eller som papperformulär."),
        ("forms", "fi", "Välj ett av enkätens språk för papperformulären: sv, en, ar."),
    ] {
        let fields =
            [("_csrf", csrf.as_str()), ("count", "20"), ("label", "Mottagningen"), ("print", print), ("lang", lang)];
        let page = app.post_form_as(&cookie, "/staff/q/nexus/codes", &fields).await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY, "{print} {lang}");
        assert_eq!(page.texts(".error-message p"), [problem], "{print} {lang}");
        assert_eq!(page.attributes("#label", "value"), ["Mottagningen"], "what was typed is kept");
    }
    let batches = app.store.code_batches(app.catalog.get("nexus").unwrap(), app.today()).await.unwrap();
    assert!(batches.is_empty(), "no codes were made");
}
