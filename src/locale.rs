//! Interface text in each language enkat speaks: the words around a
//! questionnaire (buttons, error messages, the thank-you page), as opposed to
//! the questionnaire's own texts, which its administrator writes.

/// The interface strings of one language.
#[derive(Debug)]
pub struct Locale {
    /// BCP 47 code, as used in `languages` and `<html lang>`.
    pub code: &'static str,
    /// The language's own name for itself, for language links.
    pub name: &'static str,
    pub leave_page: &'static str,
    pub required: &'static str,
    pub optional: &'static str,
    pub choose_any: &'static str,
    pub submit: &'static str,
    pub other_label: &'static str,
    pub error_prefix: &'static str,
    pub error_summary_title: &'static str,
    pub error_required: &'static str,
    pub error_unknown_option: &'static str,
    pub error_one_only: &'static str,
    /// `{option}` is replaced by the exclusive option's text.
    pub error_exclusive: &'static str,
    /// `{max}` is replaced by the limit in characters.
    pub error_too_long: &'static str,
    pub error_other_missing: &'static str,
    /// `{max}` is replaced by the limit in characters.
    pub max_characters: &'static str,
    pub thanks_title: &'static str,
    pub thanks_default: &'static str,
    pub not_found_title: &'static str,
    pub not_found_text: &'static str,
    pub bad_request_title: &'static str,
    pub bad_request_text: &'static str,
    pub unavailable_title: &'static str,
    pub unavailable_text: &'static str,
    pub language_choice: &'static str,
    /// The group of those who skipped a question, in reports.
    pub no_answer: &'static str,
    /// The pages of a questionnaire answered with one-time codes.
    pub codes: &'static CodeTexts,
    /// Before `opens` and after `closes`: the survey takes no answers.
    pub not_open: &'static str,
    /// `{date}` is replaced by the opening day, written out (`long_date`).
    pub opens_on: &'static str,
    /// `{date}` is replaced by the last day, written out (`long_date`).
    pub closed_on: &'static str,
    /// Month names as written inside a sentence, January first.
    pub months: [&'static str; 12],
    /// On a kiosk's thank-you page, before it returns to an empty form.
    pub kiosk_restarting: &'static str,
    /// The thank-you page's link to an empty form at once, in kiosk mode.
    pub kiosk_restart_now: &'static str,
    /// The form's link to start afresh, discarding the answers, in kiosk mode.
    pub kiosk_restart: &'static str,
    /// The second, visually hidden exit link, the second Tab stop.
    pub leave_page_quickly: &'static str,
    /// The link past the exit bar to the page's content.
    pub skip_to_content: &'static str,
    /// Announced after the first press of Shift (the script reads it).
    pub shift_two_more: &'static str,
    /// Announced after the second press of Shift.
    pub shift_one_more: &'static str,
    /// Announced as the page is left.
    pub leaving: &'static str,
    /// The tab title of a questionnaire with `neutral_title`: what someone
    /// looking at the tabs or the history sees.
    pub neutral_title: &'static str,
    /// The "Using this safely" page.
    pub safety: &'static InfoPage,
    /// The privacy page; `{contact}` is replaced by who is responsible.
    pub privacy: &'static InfoPage,
    /// The safety and privacy pages' link back to the questionnaire.
    pub back_to_survey: &'static str,
    /// The name of the footer's group of links, for screen readers.
    pub footer_label: &'static str,
    /// The button to the next page of a questionnaire split into pages.
    pub next_page: &'static str,
    /// The button back to the previous page; answers are kept.
    pub previous_page: &'static str,
    /// `{n}` and `{total}` are replaced by numbers.
    pub page_progress: &'static str,
    /// The "check your answers" page's heading and lead.
    pub check_title: &'static str,
    pub check_lead: &'static str,
    /// The button beside an answer on the check page.
    pub change: &'static str,
    /// On the check page, for a question left unanswered.
    pub not_answered: &'static str,
    /// Under a question shown only after a certain answer, for those
    /// without JavaScript (with it, the question appears and disappears).
    /// `{question}` is the earlier question, `{options}` its options.
    pub shown_if_any_of: &'static str,
    pub shown_if_none_of: &'static str,
    pub shown_if_answered: &'static str,
    pub shown_if_unanswered: &'static str,
    /// Between the last two options in `{options}`.
    pub or: &'static str,
    /// Announced politely when a question appears or disappears; `{question}` is its text.
    pub question_shown: &'static str,
    pub question_hidden: &'static str,
}

/// A page of plain information: a title, a lead paragraph and sections.
#[derive(Debug)]
pub struct InfoPage {
    /// The page's heading, and the text of the links to it.
    pub title: &'static str,
    /// The paragraph under the heading: what the page is for.
    pub lead: &'static str,
    pub sections: &'static [InfoSection],
}

/// One section of an `InfoPage`: a heading and its paragraphs.
#[derive(Debug)]
pub struct InfoSection {
    /// An `<h2>`.
    pub heading: &'static str,
    /// Plain text, one `<p>` each.
    pub paragraphs: &'static [&'static str],
}

const SV: Locale = Locale {
    code: "sv",
    name: "Svenska",
    leave_page: "Lämna sidan",
    required: "(måste besvaras)",
    optional: "(frivillig)",
    choose_any: "Välj ett eller flera svar.",
    submit: "Skicka svaren",
    other_label: "Annat, nämligen:",
    error_prefix: "Fel:",
    error_summary_title: "Något behöver rättas innan svaren kan skickas",
    error_required: "Svara på frågan, den måste besvaras.",
    error_unknown_option: "Svaret finns inte bland alternativen. Välj ett av dem.",
    error_one_only: "Välj bara ett svar.",
    error_exclusive: "\u{201d}{option}\u{201d} kan inte kombineras med andra svar. Välj bara det, eller ta bort det.",
    error_too_long: "Svaret är för långt. Skriv högst {max} tecken.",
    error_other_missing: "Skriv vad du menar med \u{201d}Annat\u{201d}, eller ta bort det valet.",
    max_characters: "Högst {max} tecken.",
    thanks_title: "Tack!",
    thanks_default: "Tack för dina svar!",
    not_found_title: "Sidan finns inte",
    not_found_text: "Kontrollera adressen. Enkäten kan ha ett annat namn, eller så är länken felskriven.",
    bad_request_title: "Svaren kunde inte tas emot",
    bad_request_text: "Formuläret innehöll något som inte hör till enkäten, kanske för att enkäten har ändrats sedan sidan öppnades. Inget har sparats. Öppna enkäten igen och försök en gång till.",
    unavailable_title: "Något gick fel hos oss",
    unavailable_text: "Dina svar kunde inte sparas just nu. Inget har sparats. Gå tillbaka och försök igen om en stund.",
    language_choice: "Språk",
    no_answer: "Inget svar",
    codes: &SV_CODES,
    not_open: "Enkäten är inte öppen just nu.",
    opens_on: "Den öppnar den {date}.",
    closed_on: "Den stängde den {date}. Tack för att du ville svara.",
    months: [
        "januari",
        "februari",
        "mars",
        "april",
        "maj",
        "juni",
        "juli",
        "augusti",
        "september",
        "oktober",
        "november",
        "december",
    ],
    kiosk_restarting: "Formuläret börjar om om en liten stund, så att nästa person får ett tomt formulär.",
    kiosk_restart_now: "Börja om nu",
    kiosk_restart: "Börja om",
    leave_page_quickly: "Lämna sidan snabbt",
    skip_to_content: "Till innehållet",
    shift_two_more: "Shift, tryck 2 gånger till för att lämna sidan",
    shift_one_more: "Shift, tryck 1 gång till för att lämna sidan",
    leaving: "Lämnar sidan",
    neutral_title: "Enkät",
    safety: &SV_SAFETY,
    privacy: &SV_PRIVACY,
    back_to_survey: "Tillbaka till enkäten",
    footer_label: "Om sidan",
    next_page: "Fortsätt",
    previous_page: "Tillbaka",
    page_progress: "Sida {n} av {total}",
    check_title: "Kontrollera dina svar",
    check_lead: "Ändra det som inte stämmer. Svaren sparas först när du skickar dem.",
    change: "Ändra",
    not_answered: "Inte besvarad",
    shown_if_any_of: "Svara bara om du valde {options} i frågan \u{201d}{question}\u{201d}.",
    shown_if_none_of: "Svara bara om du svarade på frågan \u{201d}{question}\u{201d} utan att välja {options}.",
    shown_if_answered: "Svara bara om du svarade på frågan \u{201d}{question}\u{201d}.",
    shown_if_unanswered: "Svara bara om du inte svarade på frågan \u{201d}{question}\u{201d}.",
    or: "eller",
    question_shown: "En fråga till visas: {question}",
    question_hidden: "En fråga behövs inte längre och har tagits bort: {question}",
};

const EN: Locale = Locale {
    code: "en",
    name: "English",
    leave_page: "Leave this page",
    required: "(required)",
    optional: "(optional)",
    choose_any: "Choose one or more answers.",
    submit: "Send your answers",
    other_label: "Something else:",
    error_prefix: "Error:",
    error_summary_title: "There is a problem to fix before your answers can be sent",
    error_required: "Answer this question, it is required.",
    error_unknown_option: "That answer is not one of the options. Choose one of them.",
    error_one_only: "Choose only one answer.",
    error_exclusive: "\u{201c}{option}\u{201d} cannot be combined with other answers. Choose only that, or remove it.",
    error_too_long: "The answer is too long. Write at most {max} characters.",
    error_other_missing: "Write what you mean by \u{201c}Something else\u{201d}, or remove that choice.",
    max_characters: "At most {max} characters.",
    thanks_title: "Thank you!",
    thanks_default: "Thank you for your answers!",
    not_found_title: "Page not found",
    not_found_text: "Check the address. The survey may have another name, or the link may be mistyped.",
    bad_request_title: "Your answers could not be received",
    bad_request_text: "The form contained something that does not belong to the survey, perhaps because the survey changed after the page was opened. Nothing was stored. Open the survey again and try once more.",
    unavailable_title: "Something went wrong on our side",
    unavailable_text: "Your answers could not be stored just now. Nothing was stored. Go back and try again in a while.",
    language_choice: "Language",
    no_answer: "No answer",
    codes: &EN_CODES,
    not_open: "The survey is not open just now.",
    opens_on: "It opens on {date}.",
    closed_on: "It closed on {date}. Thank you for wanting to answer.",
    months: [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ],
    kiosk_restarting: "The form starts again in a moment, so that the next person gets an empty form.",
    kiosk_restart_now: "Start again now",
    kiosk_restart: "Start again",
    leave_page_quickly: "Leave this page quickly",
    skip_to_content: "Skip to content",
    shift_two_more: "Shift, press 2 more times to leave this page",
    shift_one_more: "Shift, press 1 more time to leave this page",
    leaving: "Leaving this page",
    neutral_title: "Survey",
    safety: &EN_SAFETY,
    privacy: &EN_PRIVACY,
    back_to_survey: "Back to the survey",
    footer_label: "About this page",
    next_page: "Continue",
    previous_page: "Back",
    page_progress: "Page {n} of {total}",
    check_title: "Check your answers",
    check_lead: "Change anything that is not right. Your answers are saved only when you send them.",
    change: "Change",
    not_answered: "Not answered",
    shown_if_any_of: "Answer only if you chose {options} in the question \u{201c}{question}\u{201d}.",
    shown_if_none_of: "Answer only if you answered the question \u{201c}{question}\u{201d} without choosing {options}.",
    shown_if_answered: "Answer only if you answered the question \u{201c}{question}\u{201d}.",
    shown_if_unanswered: "Answer only if you did not answer the question \u{201c}{question}\u{201d}.",
    or: "or",
    question_shown: "One more question is shown: {question}",
    question_hidden: "A question is no longer needed and has been removed: {question}",
};

/// Every language enkat has interface text for, default first.
pub const LOCALES: &[Locale] = &[SV, EN];

/// The interface text for `code`, if enkat speaks that language.
pub fn find(code: &str) -> Option<&'static Locale> {
    LOCALES.iter().find(|locale| locale.code == code)
}

/// A date written out as in a sentence: "1 december 2026", "1 December 2026".
pub fn long_date(locale: &Locale, date: time::Date) -> String {
    let month = locale.months[usize::from(u8::from(date.month())) - 1];
    format!("{} {month} {}", date.day(), date.year())
}

/// The interface text for `code`, or Swedish, the service's home language.
pub fn get(code: &str) -> &'static Locale {
    find(code).unwrap_or(&LOCALES[0])
}

/// The words of a coded questionnaire's start page and refusals.
#[derive(Debug)]
pub struct CodeTexts {
    /// Above the start page's field.
    pub intro: &'static str,
    pub label: &'static str,
    /// The code's format, under the label.
    pub hint: &'static str,
    pub continue_button: &'static str,
    /// A form sent without its code.
    pub missing: &'static str,
    /// A character no code has.
    pub unknown_symbol: &'static str,
    pub wrong_length: &'static str,
    /// The check symbol does not match.
    pub mistyped: &'static str,
    /// A well-formed code that is used, revoked or unknown.
    pub used_title: &'static str,
    pub used_text: &'static str,
    pub used_advice: &'static str,
    /// The link back to the start page.
    pub try_another: &'static str,
}

const SV_CODES: CodeTexts = CodeTexts {
    intro: "Du svarar med en engångskod. Koden står på kortet du fick.",
    label: "Kod från kortet",
    hint: "10 tecken, till exempel K7Q4M-ZX9AB. Stora eller små bokstäver går lika bra.",
    continue_button: "Fortsätt",
    missing: "Skriv koden från kortet.",
    unknown_symbol: "Koden innehåller ett tecken som inga koder har. Koderna har bara siffrorna 2–9 och bokstäverna A–Z utom I, L och O.",
    wrong_length: "En kod har 10 tecken, bindestrecket oräknat. Kontrollera att du fått med alla.",
    mistyped: "Koden verkar felskriven – kontrollera tecknen.",
    used_title: "Koden kan inte användas",
    used_text: "Koden är redan använd eller finns inte. Varje kod kan bara användas en gång.",
    used_advice: "Har du redan svarat med den här koden är dina svar sparade. Tror du att något är fel kan du be den som gav dig kortet om en ny kod.",
    try_another: "Skriv en annan kod",
};

const EN_CODES: CodeTexts = CodeTexts {
    intro: "You answer with a one-time code. The code is on the card you were given.",
    label: "Code from your card",
    hint: "10 characters, for example K7Q4M-ZX9AB. Capital or small letters both work.",
    continue_button: "Continue",
    missing: "Enter the code from your card.",
    unknown_symbol: "The code contains a character that no code has. Codes only have the digits 2–9 and the letters A–Z except I, L and O.",
    wrong_length: "A code has 10 characters, not counting the dash. Check that you have them all.",
    mistyped: "The code seems to be mistyped – check the characters.",
    used_title: "This code cannot be used",
    used_text: "The code has already been used or does not exist. Each code can be used only once.",
    used_advice: "If you have already answered with this code, your answers are saved. If you think something is wrong, you can ask whoever gave you the card for a new code.",
    try_another: "Enter another code",
};

const SV_SAFETY: InfoPage = InfoPage {
    title: "Säker användning",
    lead: "Om någon kan se vad du gör på din telefon eller dator finns det några saker som är bra att veta innan du svarar.",
    sections: &[
        InfoSection {
            heading: "Lämna sidan snabbt",
            paragraphs: &[
                "Knappen \u{201d}Lämna sidan\u{201d} högst upp på varje sida tar dig direkt till en vanlig webbplats som inte har med enkäten att göra.",
                "Du kan också trycka på Shift-tangenten tre gånger i rad. Då lämnar du sidan på samma sätt.",
                "När du lämnar sidan töms formuläret och det du hade skrivit skickas inte. Enkätsidan byts ut mot den andra webbplatsen, så att bakåtknappen oftast inte leder tillbaka hit.",
            ],
        },
        InfoSection {
            heading: "Webbläsarens historik",
            paragraphs: &[
                "Knappen och Shift-tangenten raderar inte webbläsarens historik. Att du har besökt enkäten kan fortfarande synas där.",
                "Att rensa hela historiken kan i sig väcka misstankar. Ta hellre bort bara de enskilda sidorna från enkäten ur historiken.",
                "Du kan också svara i ett privat fönster (kallas ibland inkognitoläge). Då sparas ingen historik när du stänger fönstret.",
            ],
        },
        InfoSection {
            heading: "Om någon övervakar din telefon eller dator",
            paragraphs: &[
                "Om någon har installerat ett spionprogram på din telefon eller dator kan ingen webbplats skydda dig mot det, inte heller den här. Använd hellre en telefon eller dator som ingen annan har tillgång till, till exempel på ett bibliotek eller hos någon du litar på.",
            ],
        },
        InfoSection {
            heading: "Om du behöver hjälp",
            paragraphs: &[
                "Är du i fara just nu: ring 112.",
                "Kvinnofridslinjen, 020-50 50 50, är öppen dygnet runt. Samtalet är gratis och syns inte på telefonräkningen.",
            ],
        },
    ],
};

const EN_SAFETY: InfoPage = InfoPage {
    title: "Using this safely",
    lead: "If someone can see what you do on your phone or computer, there are a few things that are good to know before you answer.",
    sections: &[
        InfoSection {
            heading: "Leaving this page quickly",
            paragraphs: &[
                "The \u{201c}Leave this page\u{201d} button at the top of every page takes you straight to an ordinary website that has nothing to do with the survey.",
                "You can also press the Shift key three times in a row. That leaves the page in the same way.",
                "When you leave, the form is emptied and nothing you wrote is sent. The survey page is replaced by the other website, so the Back button usually does not lead back here.",
            ],
        },
        InfoSection {
            heading: "Your browser history",
            paragraphs: &[
                "The button and the Shift key do not erase your browser history. That you visited the survey may still show there.",
                "Clearing all of your history can itself raise suspicion. It is better to remove only the single pages of the survey from the history.",
                "You can also answer in a private window (sometimes called incognito mode). Then no history is kept when you close the window.",
            ],
        },
        InfoSection {
            heading: "If someone is watching your phone or computer",
            paragraphs: &[
                "If someone has installed spyware on your phone or computer, no website can protect you from it, this one included. If you can, use a phone or computer that nobody else has access to, for example at a library or at the home of someone you trust.",
            ],
        },
        InfoSection {
            heading: "If you need help",
            paragraphs: &[
                "If you are in danger right now: call 112.",
                "Kvinnofridslinjen, the national helpline for women subjected to violence, 020-50 50 50, is open all hours. The call is free and does not show on the phone bill.",
            ],
        },
    ],
};

const SV_PRIVACY: InfoPage = InfoPage {
    title: "Integritet",
    lead: "Enkäterna här är anonyma. Så här tar vi hand om det du svarar.",
    sections: &[
        InfoSection {
            heading: "Det här sparas",
            paragraphs: &[
                "Dina svar på frågorna, vilket språk du svarade på, vilken version av enkäten du svarade på och ett ungefärligt datum, oftast bara vilken vecka.",
                "Det du skriver i en fritextfråga sparas som du skrev det. Skriv inte ditt namn eller något annat som kan peka ut dig.",
            ],
        },
        InfoSection {
            heading: "Det här sparas inte",
            paragraphs: &[
                "Ditt namn, din IP-adress, vilken webbläsare eller telefon du använder, och vilken tid på dagen du svarade. Ingen kaka (cookie) sätts när du svarar, och ingen logg förs över vem som besöker sidorna.",
            ],
        },
        InfoSection {
            heading: "Så skyddas din anonymitet",
            paragraphs: &[
                "Datumet sparas grovt, så att den som vet när du svarade inte kan hitta dina svar.",
                "Varje svar får ett slumpat id, och svaren sparas och visas inte i den ordning de kom in.",
                "Har du fått en engångskod sparas ingenting som kopplar koden till dina svar. Koden kan bara användas en gång.",
                "I sammanställningarna visas inga siffror som bygger på för få svar, så att ingen kan pekas ut.",
                "Eftersom svaren inte kan kopplas till dig kan ingen heller hitta, visa eller ta bort just dina svar i efterhand.",
            ],
        },
        InfoSection {
            heading: "Vem som ansvarar",
            paragraphs: &["Ansvarig för enkäten och de sparade svaren: {contact}."],
        },
    ],
};

const EN_PRIVACY: InfoPage = InfoPage {
    title: "Privacy",
    lead: "The surveys here are anonymous. This is how we take care of your answers.",
    sections: &[
        InfoSection {
            heading: "What is stored",
            paragraphs: &[
                "Your answers to the questions, the language you answered in, the version of the survey you answered and an approximate date, usually only the week.",
                "What you write in a free-text question is stored as you wrote it. Do not write your name or anything else that could point to you.",
            ],
        },
        InfoSection {
            heading: "What is not stored",
            paragraphs: &[
                "Your name, your IP address, the browser or phone you use, and the time of day you answered. No cookie is set while you answer, and no log is kept of who visits the pages.",
            ],
        },
        InfoSection {
            heading: "How your anonymity is protected",
            paragraphs: &[
                "The date is stored coarsely, so that someone who knows when you answered cannot find your answers.",
                "Every response gets a random id, and responses are neither stored nor shown in the order they arrived.",
                "If you were given a one-time code, nothing stored links the code to your answers. A code can be used only once.",
                "Summaries never show figures based on too few answers, so that nobody can be singled out.",
                "Because answers cannot be linked to you, nobody can find, show or delete your particular answers afterwards either.",
            ],
        },
        InfoSection {
            heading: "Who is responsible",
            paragraphs: &["Responsible for the survey and the stored answers: {contact}."],
        },
    ],
};
