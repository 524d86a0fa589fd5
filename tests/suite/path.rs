//! A calmer path through the Nexus form (issue 17), posted through the real
//! form: nothing is required, and "which would have made the biggest
//! difference" offers only the supports the person said they lacked.

use crate::common::{Backend, TestApp};
use axum::http::StatusCode;
use enkat::report::Filter;

on_both_databases!(
    page_one_sent_empty_goes_on,
    the_biggest_difference_page_lists_only_the_lacked_supports,
    a_forged_option_is_refused_and_nothing_stored,
    a_response_with_the_biggest_difference_counts_in_the_results,
);

async fn page_one_sent_empty_goes_on(backend: Backend) {
    let app = TestApp::shipped(backend).await;
    let first = app.start("/s/nexus").await;
    assert_eq!(first.text("h2.page-title"), "Vad du tyckte");
    let next = app.post_form("/s/nexus", &[("_page", "0"), ("_action", "next")]).await;
    assert_eq!(next.status, StatusCode::OK, "nothing on page 1 is required");
    assert!(next.texts(".error-summary").is_empty());
    assert_eq!(next.text("h2.page-title"), "Stöd du fick");
    // "eller" before the exclusive option, in words as well as in the layout.
    assert_eq!(next.texts(".choice-divider"), ["eller"]);
}

async fn the_biggest_difference_page_lists_only_the_lacked_supports(backend: Backend) {
    let app = TestApp::shipped(backend).await;
    let lacked = [("_page", "2"), ("missing_support", "move"), ("missing_support", "housing"), ("_action", "next")];
    let page = app.post_form("/s/nexus", &lacked).await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(page.text("h2.page-title"), "Det som hade hjälpt mest");
    // In the list's order, not the order ticked.
    assert_eq!(
        page.texts("#question-most_needed .choice label"),
        ["Kontakt med bostadsförmedling eller hyresvärd", "Hjälp att organisera flytten"]
    );
    // Only "I got the support I needed", or nothing: the page is skipped.
    for lacked in [&[("missing_support", "none_missing")][..], &[]] {
        let mut fields = vec![("_page", "2"), ("_action", "next")];
        fields.extend_from_slice(lacked);
        let page = app.post_form("/s/nexus", &fields).await;
        assert_eq!(page.text("h2.page-title"), "Med egna ord", "after {lacked:?}");
    }
}

async fn a_forged_option_is_refused_and_nothing_stored(backend: Backend) {
    let app = TestApp::shipped(backend).await;
    let forged = [("_page", "3"), ("missing_support", "housing"), ("most_needed", "school"), ("_action", "next")];
    let page = app.post_form("/s/nexus", &forged).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(page.texts(".error-summary li a"), ["Vilket av detta hade gjort störst skillnad för dig?"]);
    assert_eq!(page.texts(".error-summary-message"), ["Svaret finns inte bland alternativen. Välj ett av dem."]);
    // The whole form at once, as a script would send it.
    let mut fields = crate::common::complete_nexus_answers();
    fields.retain(|(name, _)| *name != "most_needed");
    fields.push(("most_needed", "school"));
    let page = app.post_form("/s/nexus", &fields).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(app.store.count_responses("nexus").await.unwrap(), 0, "nothing may be stored");
}

async fn a_response_with_the_biggest_difference_counts_in_the_results(backend: Backend) {
    let app = TestApp::shipped(backend).await;
    let page = app.post_form("/s/nexus", &crate::common::complete_nexus_answers()).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    let tally = app.store.tally("nexus", &Filter::default(), None).await.unwrap();
    let count = |question: &str, option: &str| {
        tally
            .answers
            .iter()
            .filter(|a| a.question_id == question && a.option_id.as_deref() == Some(option))
            .map(|a| a.count)
            .sum::<u64>()
    };
    assert_eq!(count("most_needed", "belongings"), 1, "counted by option id, as before");
    assert_eq!(count("missing_support", "belongings"), 1);
}
