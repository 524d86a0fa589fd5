//! The "admitted" mark: what a coded form carries once its code was found
//! live on the start page, so that its later posts (the last one, which
//! stores) are never held back by the brake on wrong codes. A MAC under the
//! service key over the questionnaire, the code and a coarse expiry: it
//! cannot be made without the key, nor moved to another code or
//! questionnaire. It only vouches that the code was live when the form was
//! started: the code is still used up, or refused, when the response is
//! stored.

use super::{Code, ServiceKey};

/// How long a mark lasts, in hours, from the hour the form was started:
/// long enough for anyone filling in a form, short enough that a mark
/// copied from an old page is braked like any guess.
const VALID_HOURS: i64 = 24;
const SECONDS_AN_HOUR: i64 = 3600;

fn parts<'a>(questionnaire_id: &'a str, code: &'a Code, expiry: &'a str) -> [&'a [u8]; 4] {
    [b"admitted", questionnaire_id.as_bytes(), code.canonical().as_bytes(), expiry.as_bytes()]
}

/// The mark for `code` admitted to `questionnaire_id` at `now` (Unix
/// seconds): `EXPIRY.MAC`, the expiry as a whole Unix hour (no finer time).
pub fn mark(key: &ServiceKey, questionnaire_id: &str, code: &Code, now: i64) -> String {
    let expiry = (now.div_euclid(SECONDS_AN_HOUR) + VALID_HOURS + 1).to_string();
    let tag = key.sign(&parts(questionnaire_id, code, &expiry));
    format!("{expiry}.{tag}")
}

/// Whether `mark` was made by `key` for this questionnaire and code and has
/// not expired at `now`. Anything else (forged, altered, expired, empty) is
/// simply not a mark.
pub fn is_valid(key: &ServiceKey, questionnaire_id: &str, code: &Code, mark: &str, now: i64) -> bool {
    let Some((expiry, tag)) = mark.split_once('.') else { return false };
    let Ok(hour) = expiry.parse::<i64>() else { return false };
    hour.saturating_mul(SECONDS_AN_HOUR) > now && key.verify(&parts(questionnaire_id, code, expiry), tag)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_mark_holds_for_its_questionnaire_and_code_for_a_day_and_cannot_be_forged() {
        let key = ServiceKey::generate().unwrap();
        let code = Code::generate().unwrap();
        let now = 1_800_000_000;
        let mark = mark(&key, "nexus", &code, now);
        assert!(is_valid(&key, "nexus", &code, &mark, now));
        assert!(is_valid(&key, "nexus", &code, &mark, now + 24 * 3600), "a day later");
        assert!(!is_valid(&key, "nexus", &code, &mark, now + 26 * 3600), "expired");
        assert!(!is_valid(&key, "other", &code, &mark, now), "another questionnaire");
        assert!(!is_valid(&key, "nexus", &Code::generate().unwrap(), &mark, now), "another code");
        assert!(!is_valid(&ServiceKey::generate().unwrap(), "nexus", &code, &mark, now), "another key");
        let (expiry, tag) = mark.split_once('.').unwrap();
        let later = format!("{}.{tag}", expiry.parse::<i64>().unwrap() + 1000);
        assert!(!is_valid(&key, "nexus", &code, &later, now), "a moved expiry");
        for forged in ["", ".", "1.", "99999999999.00", &format!("{expiry}.{}", "0".repeat(64))] {
            assert!(!is_valid(&key, "nexus", &code, forged, now), "{forged:?}");
        }
    }
}
