//! The admin's page of questionnaire files, in Swedish like every staff page.

use std::sync::Arc;

use maud::{Markup, html};

use crate::locale;
use crate::questionnaire::{Problem, Questionnaire};
use crate::web::staff::{StaffUser, staff_layout};
use crate::web::versions::{VersionHistory, versions_table};

const TITLE: &str = "Enkätfiler";

pub fn questionnaires_page(
    user: &StaffUser,
    histories: &[(Arc<Questionnaire>, Vec<VersionHistory>)],
    problems: &[Problem],
) -> Markup {
    let body = html! {
        h1 { (TITLE) }
        p { "Enkäterna läses om när deras filer ändras. En fil med fel visas inte: den senaste fungerande versionen används tills felet är rättat." }
        h2 { "Fel i filerna" }
        @if problems.is_empty() {
            p.all-well { "Inga fel: alla filer används som de är." }
        } @else {
            ul.file-problems {
                @for problem in problems {
                    li { code { (problem.to_string()) } }
                }
            }
        }
        @for (questionnaire, history) in histories {
            section.questionnaire-file aria-labelledby={ "file-" (questionnaire.id) } {
                h2 id={ "file-" (questionnaire.id) } { (questionnaire.title.get(&questionnaire.languages[0])) }
                p { "Adress: " code { "/s/" (questionnaire.id) } ". Version som visas nu: " code { (questionnaire.version) } "." }
                p {
                    "Förhandsvisa: "
                    @for (n, language) in questionnaire.languages.iter().enumerate() {
                        @if n > 0 { ", " }
                        a href={ "/staff/admin/preview/" (questionnaire.id) "?lang=" (language) } { (locale::get(language).name) }
                    }
                }
                (versions_table(history))
            }
        }
    };
    staff_layout(Some(user), TITLE, body)
}
