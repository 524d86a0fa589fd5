//! The staff pages of one-time codes, in Swedish: the batches with their
//! counts and the form for a new batch; and the printable cards, shown once.

use maud::{Markup, html};
use time::Date;

use super::qr;
use crate::codes::{MAX_BATCH_SIZE, MAX_LABEL_LENGTH, smallest_batch};
use crate::questionnaire::{Access, Questionnaire};
use crate::report::period::last_closed;
use crate::store::CodeBatch;
use crate::web::staff::{StaffUser, csrf_field, staff_layout};

/// What the batch form holds: empty, or what was typed before a refusal.
#[derive(Debug, Clone, Default)]
pub struct BatchFormValues {
    pub count: String,
    pub label: String,
    /// `cards` or `forms` (`FORMS`); empty is cards.
    pub print: String,
    /// The paper forms' language; empty is the questionnaire's first.
    pub lang: String,
}

/// The batch form's value for a paper form per code.
pub const FORMS: &str = "forms";

/// What a new batch's codes are printed on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Printout {
    /// Cards to cut out, 10 to an A4 page, with the CSV download.
    Cards,
    /// The whole questionnaire on paper once per code, in this language.
    Forms { language: String },
}

/// One card to print.
#[derive(Debug, Clone)]
pub struct Card {
    /// `XXXXX-XXXXX`.
    pub code: String,
    /// The link with the code, for the QR code.
    pub url: String,
}

/// Cards on one printed A4 page: 2 across, 5 down.
const CARDS_PER_PAGE: usize = 10;

fn title(questionnaire: &Questionnaire) -> &str {
    questionnaire.title.get(questionnaire.language(Some("sv")))
}

/// `/staff/q/{id}/codes`: the batches of a coded questionnaire, with their
/// codes used in each period closed by `today`, and the form for a new one
/// (with `problems` after a refused attempt). For an open questionnaire, a
/// note that it uses no codes.
pub fn codes_page(
    user: &StaffUser,
    questionnaire: &Questionnaire,
    today: Date,
    batches: &[CodeBatch],
    problems: &[String],
    values: &BatchFormValues,
) -> Markup {
    let base = format!("/staff/q/{}/codes", questionnaire.id);
    let closed = last_closed(questionnaire.report_period, questionnaire.date_precision, today);
    let least = smallest_batch(questionnaire.min_report_n);
    let body = html! {
        p.breadcrumb {
            a href="/staff" { "Enkäter" } " / "
            a href={ "/staff/q/" (questionnaire.id) } { "Resultat" }
        }
        h1 { "Engångskoder: " (title(questionnaire)) }
        @if questionnaire.access == Access::Open {
            p { "Alla med länken kan svara på den här enkäten, så den använder inga koder. Skriv "
                code { "access = \"code\"" } " i enkätfilen för att använda engångskoder." }
        } @else {
            p { "Varje kod ger ett svar. Inget som sparas visar vilken kod som gav vilket svar: en använd kod raderas, och ingen tid sparas." }
            @if batches.is_empty() {
                p { "Inga koder har skapats ännu." }
            } @else {
                p.hint.uses-note {
                    "Använda koder visas per avslutad period (den senaste är " (closed.label()) "), aldrig för den period som pågår: "
                    "ett antal som ändras medan du tittar skulle visa när någon med ett kort har svarat."
                }
                table.staff-table.code-batches {
                    thead {
                        tr {
                            th scope="col" { "Etikett" }
                            th scope="col" { "Skapad" }
                            th scope="col" { "Koder" }
                            th scope="col" { "Använda per avslutad period" }
                            th scope="col" { "Status" }
                        }
                    }
                    tbody {
                        @for batch in batches {
                            tr data-batch=(batch.id) {
                                td { (batch.label) }
                                td { (batch.created_on) }
                                td.number { (batch.size) }
                                td.used {
                                    @if batch.used.is_empty() {
                                        "Inga"
                                    } @else {
                                        ul.period-uses {
                                            @for (period, used) in &batch.used {
                                                li data-period=(period) { (period.label()) ": " (used) }
                                            }
                                        }
                                    }
                                }
                                td {
                                    @if batch.revoked {
                                        "Återkallad (" (batch.withdrawn) " oanvända)"
                                    } @else {
                                        form.inline method="post" action={ (base) "/" (batch.id) "/revoke" } {
                                            (csrf_field(user))
                                            button type="submit" { "Återkalla oanvända koder" }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            section aria-labelledby="new-batch" {
                h2 #new-batch { "Skapa koder" }
                p.hint { "Koderna visas bara en gång, direkt när de har skapats: skriv ut korten eller ladda ner dem som CSV innan du lämnar sidan. Bara en kontrollsumma av varje kod sparas." }
                @if !problems.is_empty() {
                    div.error-message role="alert" {
                        @for problem in problems {
                            p { (problem) }
                        }
                    }
                }
                form.code-batch method="post" action=(base) {
                    (csrf_field(user))
                    div.field {
                        label for="count" { "Antal koder (" (least) "–" (MAX_BATCH_SIZE) ")" }
                        p.hint #count-hint {
                            "Minst " (least) " koder, fyra gånger det minsta antal svar som resultaten visar ("
                            (questionnaire.min_report_n) "): en kodserie delas ut till en grupp, aldrig till en enskild person."
                        }
                        input #count type="number" name="count" min=(least) max=(MAX_BATCH_SIZE) required aria-describedby="count-hint" value=(values.count);
                    }
                    div.field {
                        label for="label" { "Etikett, till exempel var och när korten delas ut" }
                        p.hint #label-hint {
                            strong { "Skriv aldrig en persons namn i etiketten:" }
                            " etiketten och antalet använda koder kan då visa att just den personen har svarat. "
                            "Skriv en plats och en tid, till exempel \u{201d}Mottagningen december\u{201d}."
                        }
                        input #label type="text" name="label" maxlength=(MAX_LABEL_LENGTH) required aria-describedby="label-hint" value=(values.label);
                    }
                    fieldset.field.printout {
                        legend { "Skriv ut koderna som" }
                        div.choice {
                            input #print-cards type="radio" name="print" value="cards" checked[values.print != FORMS];
                            label for="print-cards" { "kort att dela ut (10 på en A4-sida), med kod, QR-kod och adress" }
                        }
                        div.choice {
                            input #print-forms type="radio" name="print" value=(FORMS) checked[values.print == FORMS] aria-describedby="forms-hint";
                            label for="print-forms" { "ett papperformulär per kod: hela enkäten, med koden och QR-koden överst" }
                        }
                        p.hint #forms-hint {
                            "Varje formulär börjar på en ny sida. Koden kan användas en gång, antingen på webben eller på papper. "
                            "Formulären visas också bara en gång: skriv ut dem direkt."
                        }
                        div.field {
                            label for="lang" { "Papperformulärens språk" }
                            select #lang name="lang" {
                                @for language in &questionnaire.languages {
                                    option value=(language) selected[values.lang == *language] { (crate::locale::get(language).name) }
                                }
                            }
                        }
                    }
                    button.submit type="submit" { "Skapa koder" }
                }
            }
        }
    };
    staff_layout(Some(user), &format!("Engångskoder: {}", title(questionnaire)), body)
}

/// The new batch's codes, shown once: a note and the CSV button on screen,
/// and cards to cut out when printed (A4, 2 × 5 cards a page, see the
/// stylesheet's `@media print`).
pub fn cards_page(
    user: &StaffUser,
    questionnaire: &Questionnaire,
    label: &str,
    short_url: &str,
    cards: &[Card],
) -> Markup {
    let title = title(questionnaire);
    // A card found in a bag must not say what it is for: with
    // `neutral_title`, the same neutral word as the tab title.
    let card_title = crate::web::views::tab_name(questionnaire, questionnaire.language(None));
    let all_codes: Vec<&str> = cards.iter().map(|card| card.code.as_str()).collect();
    let body = html! {
        div.cards-intro {
            p.breadcrumb { a href={ "/staff/q/" (questionnaire.id) "/codes" } { "Tillbaka till engångskoderna" } }
            h1 { (cards.len()) " nya koder: " (label) }
            p { strong { "Koderna visas bara nu." } " Skriv ut sidan (Ctrl+P), eller ladda ner dem som CSV för SMS. Laddar du om sidan eller går härifrån kan koderna inte visas igen." }
            form method="post" action={ "/staff/q/" (questionnaire.id) "/codes/csv" } {
                (csrf_field(user))
                input type="hidden" name="codes" value=(all_codes.join(" "));
                button.submit type="submit" { "Ladda ner som CSV" }
            }
        }
        @for page in cards.chunks(CARDS_PER_PAGE) {
            div.card-sheet {
                @for card in page {
                    div.card {
                        p.card-title { (card_title) }
                        @if let Some(qr) = qr::svg(&card.url, &format!("QR-kod till enkäten med koden {}", card.code)) {
                            (qr)
                        }
                        p.card-url { (short_url) }
                        p.card-code { (card.code) }
                        p.card-once { "Koden kan bara användas en gång" }
                    }
                }
            }
        }
    };
    staff_layout(Some(user), &format!("Nya koder: {title}"), body)
}
