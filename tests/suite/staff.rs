//! Staff access: logging in and out, sessions that end, CSRF, throttling
//! and lockout, API tokens for exports, the audit log, and a walk over
//! every staff route to prove none is open to an anonymous request. Then
//! the `enkat staff` and `enkat token` commands, run as the real binary.

use std::io::Write;
use std::process::{Command, Output, Stdio};
use std::time::Duration;

use crate::common::{Backend, PASSWORD, TestApp};
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use axum_extra::extract::cookie::SameSite;
use enkat::clock::Clock;
use enkat::staff::UnitRole;
use enkat::staff::{StaffSettings, fingerprint, password_check_limit};
use enkat::store::Store;
use enkat::web::staff::{Needs, STAFF_ROUTES};
use time::OffsetDateTime;

on_both_databases!(
    logging_in_starts_a_session_with_a_strict_staff_only_cookie,
    the_cookie_is_not_secure_only_when_so_configured,
    a_wrong_password_and_an_unknown_account_get_the_same_page,
    a_login_returns_to_the_staff_page_asked_for_and_nowhere_else,
    a_login_replaces_the_session_the_browser_had,
    logging_out_ends_the_session_and_clears_the_cookie,
    a_change_without_the_csrf_token_is_refused_and_changes_nothing,
    an_idle_session_ends_after_thirty_minutes,
    a_session_ends_twelve_hours_after_login_however_busy,
    repeated_failures_lock_a_name_out_even_with_the_right_password,
    a_successful_login_forgets_the_failures,
    failures_across_many_names_slow_logins_down_but_lock_nobody_out,
    a_device_cookie_is_given_at_login_and_only_its_fingerprint_is_stored,
    an_admin_with_a_device_cookie_logs_in_whatever_strangers_try,
    a_device_cookie_is_revoked_after_ten_wrong_passwords,
    a_lock_is_audited_once_and_names_without_accounts_do_not_grow_the_audit_log,
    old_failures_and_devices_are_pruned,
    forty_simultaneous_guesses_check_at_most_ten_passwords,
    a_login_when_every_password_check_is_busy_is_refused_at_once,
    a_login_posted_from_another_site_is_refused,
    an_api_token_is_accepted_on_export_routes_until_revoked,
    html_pages_refuse_an_api_token,
    a_removed_account_loses_its_sessions_and_tokens,
    a_changed_password_ends_the_accounts_sessions,
    every_staff_route_refuses_an_anonymous_request,
    every_staff_route_exists_for_an_admin,
    every_staff_route_refuses_every_role_below_the_one_it_needs,
    an_unknown_staff_path_refuses_anonymous_requests_before_it_is_not_found,
    the_start_page_lists_the_questionnaires_with_their_response_counts,
    the_audit_log_shows_logins_and_failures_to_admins_only,
    respondent_pages_set_no_cookie_even_for_logged_in_staff,
);

const LOCKED: &str = "För många misslyckade inloggningar. Försök igen om en stund.";
const FAILED: &str = "Fel användarnamn eller lösenord.";
const BUSY: &str = "Inloggningen har många försök just nu. Vänta en halv minut och försök igen.";
const DEVICE_COOKIE: &str = "enkat_device";

async fn logging_in_starts_a_session_with_a_strict_staff_only_cookie(backend: Backend) {
    let app = TestApp::shipped(backend).await;
    app.add_staff("anna", PASSWORD, false).await;

    let page = app.try_login("anna", PASSWORD, None).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    assert_eq!(page.header("location"), "/staff");
    let cookie = page.cookie("enkat_staff").expect("a session cookie");
    assert_eq!(cookie.http_only(), Some(true), "scripts on the page cannot read it");
    assert_eq!(cookie.same_site(), Some(SameSite::Strict), "no other site can make the browser send it");
    assert_eq!(cookie.secure(), Some(true), "sent over HTTPS only");
    assert_eq!(cookie.path(), Some("/staff"), "never sent to the respondents' pages");
    assert_eq!(cookie.max_age(), None, "forgotten when the browser closes");
    assert_eq!(cookie.value().len(), 64, "32 random bytes in hex");

    let stored: Vec<String> = query_strings(&app.store, "SELECT id_hash FROM staff_session").await;
    assert_eq!(stored, [fingerprint(cookie.value())], "only a fingerprint of the session id is stored");

    let start = app.get_as(&format!("enkat_staff={}", cookie.value()), "/staff").await;
    assert_eq!(start.status, StatusCode::OK);
    assert_eq!(start.attributes("html", "lang"), ["sv"]);
    assert!(start.text(".staff-user").contains("anna"), "the header says who is logged in");
    assert_eq!(start.texts(".exit-button").len(), 0, "staff pages have no exit link");
    assert_eq!(start.header("cache-control"), "no-store");
}

async fn the_cookie_is_not_secure_only_when_so_configured(backend: Backend) {
    let settings = StaffSettings { cookie_secure: false, ..TestApp::staff_settings() };
    let app = TestApp::with_staff(backend, settings).await;
    app.add_staff("anna", PASSWORD, false).await;
    let page = app.try_login("anna", PASSWORD, None).await;
    let cookie = page.cookie("enkat_staff").expect("a session cookie");
    assert_eq!(cookie.secure(), None, "plain HTTP on one's own machine: no Secure");
    assert_eq!(cookie.http_only(), Some(true));
    assert_eq!(cookie.same_site(), Some(SameSite::Strict));
}

async fn a_wrong_password_and_an_unknown_account_get_the_same_page(backend: Backend) {
    let app = TestApp::shipped(backend).await;
    app.add_staff("anna", PASSWORD, false).await;

    let wrong_password = app.try_login("anna", "fel lösenord helt och hållet", None).await;
    let no_account = app.try_login("bert", "fel lösenord helt och hållet", None).await;
    let impossible_name = app.try_login("anna berg", PASSWORD, None).await;

    for (what, page) in [("unknown account", &no_account), ("impossible name", &impossible_name)] {
        assert_eq!(page.status, wrong_password.status, "{what}: same status as a wrong password");
        assert_eq!(page.text(".error-message"), wrong_password.text(".error-message"), "{what}: same message");
        assert!(page.cookie("enkat_staff").is_none(), "{what}: no session");
    }
    assert_eq!(wrong_password.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(wrong_password.text(".error-message"), FAILED);
    assert_eq!(
        wrong_password.body.replace("anna", "NAME"),
        no_account.body.replace("bert", "NAME"),
        "the pages differ only in the name typed"
    );
    assert!(!wrong_password.body.contains("fel lösenord"), "the password typed is not shown again");
}

async fn a_login_returns_to_the_staff_page_asked_for_and_nowhere_else(backend: Backend) {
    let app = TestApp::shipped(backend).await;
    app.add_staff("anna", PASSWORD, true).await;

    let asked = app.get("/staff/audit?action=login").await;
    assert_eq!(asked.status, StatusCode::SEE_OTHER);
    assert_eq!(asked.header("location"), "/staff/login?next=%2Fstaff%2Faudit%3Faction%3Dlogin");
    let form = app.get(asked.header("location")).await;
    assert_eq!(form.status, StatusCode::OK);
    assert_eq!(form.attributes("input[name=next]", "value"), ["/staff/audit?action=login"]);
    assert_eq!(form.attributes("input[name=name]", "autocomplete"), ["username"]);
    assert_eq!(form.attributes("input[name=password]", "autocomplete"), ["current-password"]);

    for (next, expected) in [
        ("/staff/audit?action=login", "/staff/audit?action=login"),
        ("https://evil.example/staff", "/staff"),
        ("//evil.example/staff", "/staff"),
        ("/s/nexus", "/staff"),
    ] {
        let fields = [("name", "anna"), ("password", PASSWORD), ("next", next)];
        let page = app.post_form("/staff/login", &fields).await;
        assert_eq!(page.status, StatusCode::SEE_OTHER);
        assert_eq!(page.header("location"), expected, "after login with next={next}");
    }
}

async fn a_login_replaces_the_session_the_browser_had(backend: Backend) {
    let app = TestApp::shipped(backend).await;
    app.add_staff("anna", PASSWORD, false).await;
    let first = app.login("anna", PASSWORD).await;

    let page = app.try_login("anna", PASSWORD, Some(&first)).await;
    let second = page.cookie("enkat_staff").expect("a new session cookie");
    let second = format!("enkat_staff={}", second.value());

    assert_ne!(first, second, "a login always gets a new session id");
    assert_eq!(app.get_as(&first, "/staff").await.status, StatusCode::SEE_OTHER, "the old session is gone");
    assert_eq!(app.get_as(&second, "/staff").await.status, StatusCode::OK);
    assert_eq!(count(&app.store, "SELECT COUNT(*) FROM staff_session").await, 1, "the old row was deleted");
}

async fn logging_out_ends_the_session_and_clears_the_cookie(backend: Backend) {
    let app = TestApp::shipped(backend).await;
    app.add_staff("anna", PASSWORD, false).await;
    let cookie = app.login("anna", PASSWORD).await;
    let csrf = app.csrf_token(&cookie).await;

    let page = app.post_form_as(&cookie, "/staff/logout", &[("_csrf", &csrf)]).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    assert_eq!(page.header("location"), "/staff/login");
    let cleared = page.cookie("enkat_staff").expect("the cookie is cleared");
    assert_eq!((cleared.value(), cleared.path()), ("", Some("/staff")));
    assert_eq!(cleared.max_age(), Some(time::Duration::ZERO));

    assert_eq!(app.get_as(&cookie, "/staff").await.status, StatusCode::SEE_OTHER, "the session has ended");
    assert_eq!(count(&app.store, "SELECT COUNT(*) FROM staff_session").await, 0);
}

async fn a_change_without_the_csrf_token_is_refused_and_changes_nothing(backend: Backend) {
    let app = TestApp::shipped(backend).await;
    app.add_staff("anna", PASSWORD, false).await;
    let cookie = app.login("anna", PASSWORD).await;
    let csrf = app.csrf_token(&cookie).await;
    let wrong = "0".repeat(csrf.len());

    for (what, fields) in [("no token", vec![]), ("a wrong token", vec![("_csrf", wrong.as_str())])] {
        let page = app.post_form_as(&cookie, "/staff/logout", &fields).await;
        assert_eq!(page.status, StatusCode::FORBIDDEN, "{what}");
        assert_eq!(page.text("h1"), "Formuläret har gått ut", "{what}");
        assert!(page.body.contains("Inget har ändrats."), "{what}");
        assert_eq!(app.get_as(&cookie, "/staff").await.status, StatusCode::OK, "{what}: still logged in");
    }

    let request = Request::post("/staff/logout")
        .header(header::COOKIE, &cookie)
        .header("x-csrf-token", &csrf)
        .body(Body::empty())
        .unwrap();
    assert_eq!(app.send(request).await.status, StatusCode::SEE_OTHER, "the token may come in a header");
}

async fn an_idle_session_ends_after_thirty_minutes(backend: Backend) {
    let app = TestApp::shipped(backend).await;
    app.add_staff("anna", PASSWORD, false).await;
    let cookie = app.login("anna", PASSWORD).await;

    set_session_times(&app, minutes(60), minutes(29)).await;
    assert_eq!(app.get_as(&cookie, "/staff").await.status, StatusCode::OK, "29 minutes idle is fine");

    set_session_times(&app, minutes(60), minutes(31)).await;
    let page = app.get_as(&cookie, "/staff").await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    assert_eq!(page.header("location"), "/staff/login?next=%2Fstaff");
    assert_eq!(count(&app.store, "SELECT COUNT(*) FROM staff_session").await, 0, "the ended session is deleted");
}

async fn a_session_ends_twelve_hours_after_login_however_busy(backend: Backend) {
    let app = TestApp::shipped(backend).await;
    app.add_staff("anna", PASSWORD, false).await;
    let cookie = app.login("anna", PASSWORD).await;

    set_session_times(&app, minutes(11 * 60 + 59), minutes(1)).await;
    assert_eq!(app.get_as(&cookie, "/staff").await.status, StatusCode::OK);

    set_session_times(&app, minutes(12 * 60 + 1), minutes(1)).await;
    assert_eq!(app.get_as(&cookie, "/staff").await.status, StatusCode::SEE_OTHER);
    assert_eq!(count(&app.store, "SELECT COUNT(*) FROM staff_session").await, 0);
}

async fn repeated_failures_lock_a_name_out_even_with_the_right_password(backend: Backend) {
    let app = TestApp::shipped(backend).await;
    app.add_staff("anna", PASSWORD, false).await;
    app.add_staff("bert", PASSWORD, false).await;

    for attempt in 1..=10 {
        let page = app.try_login("anna", "inte rätt lösenord", None).await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY, "failure {attempt} is just a failure");
    }
    let page = app.try_login("anna", PASSWORD, None).await;
    assert_eq!(page.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(page.text(".error-message"), LOCKED);
    assert!(page.cookie("enkat_staff").is_none(), "the right password does not help during a lockout");

    for _ in 1..=10 {
        app.try_login("nobody", "inte rätt lösenord", None).await;
    }
    let page = app.try_login("nobody", PASSWORD, None).await;
    assert_eq!(
        (page.status, page.text(".error-message")),
        (StatusCode::TOO_MANY_REQUESTS, LOCKED.to_owned()),
        "a name without an account is locked out the same way"
    );

    app.login("bert", PASSWORD).await;
    let refused = count(&app.store, "SELECT COUNT(*) FROM audit_event WHERE action = 'login_refused'").await;
    assert_eq!(refused, 2, "each refusal is in the audit log");
}

async fn a_successful_login_forgets_the_failures(backend: Backend) {
    let app = TestApp::shipped(backend).await;
    app.add_staff("anna", PASSWORD, false).await;
    for _ in 0..9 {
        app.try_login("anna", "inte rätt lösenord", None).await;
    }
    app.login("anna", PASSWORD).await;
    for _ in 0..9 {
        app.try_login("anna", "inte rätt lösenord", None).await;
    }
    // Eighteen failures within the window, but only nine since the login.
    app.login("anna", PASSWORD).await;
}

async fn failures_across_many_names_slow_logins_down_but_lock_nobody_out(backend: Backend) {
    let app = TestApp::shipped(backend).await;
    app.add_staff("anna", PASSWORD, false).await;
    fail_with_random_names(&app, 100).await;
    // A stranger cannot aim the throttle at staff: a hundred failures for
    // other names only slow every login down (no wait in the tests' settings).
    let page = app.try_login("anna", PASSWORD, None).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "no global lock: {}", page.body);
}

async fn a_device_cookie_is_given_at_login_and_only_its_fingerprint_is_stored(backend: Backend) {
    let app = TestApp::shipped(backend).await;
    app.add_staff("anna", PASSWORD, false).await;
    let page = app.try_login("anna", PASSWORD, None).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    let device = page.cookie(DEVICE_COOKIE).expect("a device cookie");
    assert_eq!(device.http_only(), Some(true), "scripts cannot read it");
    assert_eq!(device.same_site(), Some(SameSite::Strict));
    assert_eq!(device.secure(), Some(true));
    assert_eq!(device.path(), Some("/staff/login"), "sent only with a login");
    assert_eq!(device.max_age(), Some(time::Duration::days(90)), "remembered for 90 days");
    assert_eq!(device.value().len(), 64, "32 random bytes in hex");
    let stored = query_strings(&app.store, "SELECT token_hash FROM login_device").await;
    assert_eq!(stored, [fingerprint(device.value())], "only a fingerprint of the device cookie is stored");

    // A failed login gives no device cookie, for any name.
    for name in ["anna", "bert"] {
        let failed = app.try_login(name, "inte rätt lösenord", None).await;
        assert!(failed.cookie(DEVICE_COOKIE).is_none(), "{name}: no device cookie after a failure");
    }
    let settings = StaffSettings { cookie_secure: false, ..TestApp::staff_settings() };
    let plain = TestApp::with_staff(backend, settings).await;
    plain.add_staff("anna", PASSWORD, false).await;
    let page = plain.try_login("anna", PASSWORD, None).await;
    assert_eq!(page.cookie(DEVICE_COOKIE).expect("a device cookie").secure(), None, "plain HTTP: no Secure");
}

async fn an_admin_with_a_device_cookie_logs_in_whatever_strangers_try(backend: Backend) {
    let app = TestApp::shipped(backend).await;
    app.add_staff("admin", PASSWORD, true).await;
    let mut device = device_cookie(&app, "admin").await;

    // Guessing the admin's password locks the name for untrusted browsers...
    for _ in 0..10 {
        app.try_login("admin", "inte rätt lösenord", None).await;
    }
    let stranger = app.try_login("admin", PASSWORD, None).await;
    assert_eq!((stranger.status, stranger.text(".error-message")), (StatusCode::TOO_MANY_REQUESTS, LOCKED.to_owned()));
    // ...and failures for random names add up, to 100 and then 1000. The
    // first 100 come through the login form; the 900 after them are stored
    // as the form stores a failure (`record_login_attempt`), as 900 more
    // password checks would only make the test slow, not the attack other.
    let mut failed = 0;
    for total in [100, 1000] {
        if failed == 0 {
            fail_with_random_names(&app, total).await;
        } else {
            let now = app.clock.now_utc();
            let since = TestApp::staff_settings().throttle.counting_since(now);
            for i in failed..total {
                app.store.record_login_attempt(&format!("stranger{i}.stored"), now, since).await.unwrap();
            }
        }
        failed = total;
        let page = app.try_login("admin", PASSWORD, Some(&device)).await;
        assert_eq!(page.status, StatusCode::SEE_OTHER, "after {total} random-name failures: {}", page.body);
        assert!(page.cookie("enkat_staff").is_some(), "after {total} random-name failures: a session");
        // Each login gives the browser a fresh device cookie in place of the old one.
        let fresh = page.cookie(DEVICE_COOKIE).expect("a fresh device cookie");
        assert_ne!(format!("{DEVICE_COOKIE}={}", fresh.value()), device);
        device = format!("{DEVICE_COOKIE}={}", fresh.value());
    }
    assert_eq!(count(&app.store, "SELECT COUNT(*) FROM login_device").await, 1, "the old device cookies were replaced");
}

async fn a_device_cookie_is_revoked_after_ten_wrong_passwords(backend: Backend) {
    let app = TestApp::shipped(backend).await;
    app.add_staff("anna", PASSWORD, false).await;
    let device = device_cookie(&app, "anna").await;
    for _ in 0..10 {
        app.try_login("anna", "inte rätt lösenord", None).await;
    }
    // A stolen device cookie allows ten guesses, then it is worth nothing.
    for attempt in 1..=10 {
        let page = app.try_login("anna", "inte rätt lösenord", Some(&device)).await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY, "guess {attempt} with the device cookie");
    }
    assert_eq!(count(&app.store, "SELECT COUNT(*) FROM login_device").await, 0, "the device was revoked");
    let page = app.try_login("anna", PASSWORD, Some(&device)).await;
    assert_eq!(page.status, StatusCode::TOO_MANY_REQUESTS, "a revoked device is a stranger, and the name is locked");
    // A device cookie is for the name it logged in as, not another one.
    app.add_staff("bert", PASSWORD, false).await;
    let bert = device_cookie(&app, "bert").await;
    assert_eq!(app.try_login("anna", PASSWORD, Some(&bert)).await.status, StatusCode::TOO_MANY_REQUESTS);
}

async fn a_lock_is_audited_once_and_names_without_accounts_do_not_grow_the_audit_log(backend: Backend) {
    let app = TestApp::shipped(backend).await;
    app.add_staff("anna", PASSWORD, false).await;
    for _ in 0..10 {
        app.try_login("anna", "inte rätt lösenord", None).await;
    }
    for _ in 0..30 {
        assert_eq!(app.try_login("anna", PASSWORD, None).await.status, StatusCode::TOO_MANY_REQUESTS);
    }
    let refused = "SELECT COUNT(*) FROM audit_event WHERE action = 'login_refused'";
    assert_eq!(count(&app.store, refused).await, 1, "one refusal row for the name and its lock");

    let before = count(&app.store, "SELECT COUNT(*) FROM audit_event").await;
    fail_with_random_names(&app, 50).await;
    let after = count(&app.store, "SELECT COUNT(*) FROM audit_event").await;
    assert_eq!(after - before, 1, "fifty names without accounts: one row for the window");
    let named = query_strings(&app.store, "SELECT actor FROM audit_event ORDER BY id").await;
    assert!(!named.iter().any(|actor| actor.starts_with("stranger")), "names without accounts are not written down");

    // The next window: the lock and the names without accounts are audited again, once.
    let later = app.on_clock(moved(&app, 16)).await;
    for _ in 0..10 {
        later.try_login("anna", "inte rätt lösenord", None).await;
    }
    for _ in 0..5 {
        later.try_login("anna", PASSWORD, None).await;
    }
    fail_with_random_names(&later, 5).await;
    assert_eq!(count(&app.store, refused).await, 2, "a new lock, a new row");
    assert_eq!(count(&app.store, "SELECT COUNT(*) FROM audit_event").await, after + 10 + 1 + 1);
}

async fn old_failures_and_devices_are_pruned(backend: Backend) {
    let app = TestApp::shipped(backend).await;
    app.add_staff("anna", PASSWORD, false).await;
    let device = device_cookie(&app, "anna").await;
    fail_with_random_names(&app, 20).await;
    assert_eq!(count(&app.store, "SELECT COUNT(*) FROM login_failure").await, 20);

    let later = app.on_clock(moved(&app, 16)).await;
    later.try_login("bert", "inte rätt lösenord", None).await;
    assert_eq!(count(&app.store, "SELECT COUNT(*) FROM login_failure").await, 1, "failures older than the window");

    // 91 days on, the device cookie is no longer trusted: with the name
    // locked, its browser is a stranger.
    let much_later = app.on_clock(moved(&app, 91 * 24 * 60)).await;
    for _ in 0..10 {
        much_later.try_login("anna", "inte rätt lösenord", None).await;
    }
    assert_eq!(much_later.try_login("anna", PASSWORD, Some(&device)).await.status, StatusCode::TOO_MANY_REQUESTS);
    // Once the lock has passed, another browser logs in, and the expired
    // device's row is deleted.
    let after_lock = app.on_clock(moved(&app, 91 * 24 * 60 + 16)).await;
    let page = after_lock.try_login("anna", PASSWORD, None).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    let stored = query_strings(&app.store, "SELECT token_hash FROM login_device").await;
    let new = page.cookie(DEVICE_COOKIE).expect("a new device cookie");
    assert_eq!(stored, [fingerprint(new.value())], "the 91-day-old device is gone, the new one kept");
}

async fn forty_simultaneous_guesses_check_at_most_ten_passwords(backend: Backend) {
    let app = TestApp::shipped(backend).await;
    app.add_staff("anna", PASSWORD, false).await;
    let guesses = (0..40).map(|n| {
        let app = &app;
        async move { app.try_login("anna", &format!("gissning nummer {n}"), None).await.status }
    });
    let outcomes = futures_util::future::join_all(guesses).await;
    let checked = outcomes.iter().filter(|status| **status == StatusCode::UNPROCESSABLE_ENTITY).count();
    let refused = outcomes.iter().filter(|status| **status == StatusCode::TOO_MANY_REQUESTS).count();
    assert!(checked <= 10, "at most 10 of 40 guesses were checked, {checked} were");
    assert_eq!(checked + refused, 40, "every other guess was refused unchecked: {outcomes:?}");
    let stored = count(&app.store, "SELECT COUNT(*) FROM login_failure WHERE name = 'anna'").await;
    assert_eq!(stored, i64::try_from(checked).unwrap(), "each checked guess is a stored failure");
}

async fn a_login_when_every_password_check_is_busy_is_refused_at_once(backend: Backend) {
    let settings = TestApp::staff_settings();
    let app = TestApp::with_staff(backend, settings.clone()).await;
    app.add_staff("anna", PASSWORD, false).await;
    let device = device_cookie(&app, "anna").await;
    let limit = std::thread::available_parallelism().map_or(1, usize::from);
    assert_eq!(settings.password_checks.permits.available_permits(), limit, "as many checks at once as cores");

    // Every permit is taken, as by slow password checks under way.
    let busy =
        settings.password_checks.permits.clone().acquire_many_owned(u32::try_from(limit).unwrap()).await.unwrap();
    let page = app.try_login("anna", PASSWORD, None).await;
    assert_eq!(page.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(page.text(".error-message"), BUSY);
    assert!(page.cookie("enkat_staff").is_none());
    assert_eq!(count(&app.store, "SELECT COUNT(*) FROM login_failure").await, 0, "not counted as a failure");

    // A trusted browser waits for a permit instead.
    let waiting = tokio::spawn({
        let router = app.router.clone();
        let device = device.clone();
        async move { crate::common::send_login(router, "anna", PASSWORD, Some(&device)).await }
    });
    tokio::task::yield_now().await;
    drop(busy);
    let page = waiting.await.unwrap();
    assert_eq!(page.status, StatusCode::SEE_OTHER, "the device waited and logged in: {}", page.body);
}

async fn a_login_posted_from_another_site_is_refused(backend: Backend) {
    let app = TestApp::shipped(backend).await;
    app.add_staff("anna", PASSWORD, false).await;
    let login = |headers: &[(&str, &str)]| {
        let mut request = Request::post("/staff/login")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::HOST, "enkat.example.org");
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        app.send(request.body(Body::from(format!("name=anna&password={}", PASSWORD.replace(' ', "+")))).unwrap())
    };
    for headers in [
        &[("sec-fetch-site", "cross-site")][..],
        &[("sec-fetch-site", "same-site")],
        &[("sec-fetch-site", "cross-site"), ("origin", "https://enkat.example.org")],
        &[("origin", "https://evil.example")],
        &[("origin", "https://enkat.example.org.evil.example")],
        &[("origin", "null")],
    ] {
        let page = login(headers).await;
        assert_eq!(page.status, StatusCode::FORBIDDEN, "{headers:?}");
        assert_eq!(page.text("h1"), "Inloggningen kom från en annan webbplats", "{headers:?}");
        assert!(page.body.contains("Öppna inloggningssidan"), "{headers:?}: says what to do");
        assert!(page.cookie("enkat_staff").is_none(), "{headers:?}: no session");
    }
    assert_eq!(count(&app.store, "SELECT COUNT(*) FROM staff_session").await, 0);
    assert_eq!(count(&app.store, "SELECT COUNT(*) FROM login_failure").await, 0, "nothing counted either");

    for headers in [
        &[("sec-fetch-site", "same-origin"), ("origin", "null")][..],
        &[("sec-fetch-site", "none")],
        &[("origin", "https://enkat.example.org")],
        &[("origin", "http://enkat.example.org:80")],
        &[],
    ] {
        assert_eq!(login(headers).await.status, StatusCode::SEE_OTHER, "{headers:?}");
    }
}

async fn an_api_token_is_accepted_on_export_routes_until_revoked(backend: Backend) {
    let app = TestApp::shipped(backend).await;
    app.add_staff("anna", PASSWORD, false).await;
    let token = app.add_token("anna", "månadsrapport").await;

    let page = app.get_with_token(&token, "/staff/api/whoami").await;
    assert_eq!((page.status, page.body.as_str()), (StatusCode::OK, "anna"));
    let stored = query_strings(&app.store, "SELECT token_hash FROM api_token").await;
    assert_eq!(stored, [fingerprint(&token)], "only a fingerprint of the token is stored");

    let cookie = app.login("anna", PASSWORD).await;
    assert_eq!(app.get_as(&cookie, "/staff/api/whoami").await.body, "anna", "a session works too");

    let id = app.store.api_tokens().await.unwrap()[0].id;
    assert_eq!(app.store.revoke_api_token(id, OffsetDateTime::now_utc()).await.unwrap().as_deref(), Some("anna"));
    for (what, token) in [("a revoked token", token.as_str()), ("a made-up token", &"ab".repeat(32))] {
        let page = app.get_with_token(token, "/staff/api/whoami").await;
        assert_eq!(page.status, StatusCode::UNAUTHORIZED, "{what}");
        assert_eq!(page.header("www-authenticate"), "Bearer", "{what}");
    }
    let anonymous = app.get("/staff/api/whoami").await;
    assert_eq!((anonymous.status, anonymous.header("www-authenticate")), (StatusCode::UNAUTHORIZED, "Bearer"));
}

async fn html_pages_refuse_an_api_token(backend: Backend) {
    let app = TestApp::shipped(backend).await;
    app.add_staff("anna", PASSWORD, true).await;
    let token = app.add_token("anna", "").await;
    for uri in ["/staff", "/staff/audit"] {
        let page = app.get_with_token(&token, uri).await;
        assert_eq!(page.status, StatusCode::SEE_OTHER, "{uri} wants a session, not a token");
        assert!(page.header("location").starts_with("/staff/login"), "{uri}");
    }
}

async fn a_removed_account_loses_its_sessions_and_tokens(backend: Backend) {
    let app = TestApp::shipped(backend).await;
    app.add_staff("anna", PASSWORD, false).await;
    let token = app.add_token("anna", "").await;
    let cookie = app.login("anna", PASSWORD).await;

    let revoked = app.store.remove_staff_account("anna", OffsetDateTime::now_utc()).await.unwrap();
    assert_eq!(revoked, Some(1), "its one token was revoked");
    assert_eq!(app.get_as(&cookie, "/staff").await.status, StatusCode::SEE_OTHER);
    assert_eq!(app.get_with_token(&token, "/staff/api/whoami").await.status, StatusCode::UNAUTHORIZED);
    let tokens = app.store.api_tokens().await.unwrap();
    assert!(tokens[0].revoked_at.is_some(), "the token stays listed, as revoked");

    // A new account with the old name does not revive the old token.
    app.add_staff("anna", PASSWORD, false).await;
    assert_eq!(app.get_with_token(&token, "/staff/api/whoami").await.status, StatusCode::UNAUTHORIZED);
}

async fn a_changed_password_ends_the_accounts_sessions(backend: Backend) {
    let app = TestApp::shipped(backend).await;
    app.add_staff("anna", PASSWORD, false).await;
    app.add_staff("bert", PASSWORD, false).await;
    let anna = app.login("anna", PASSWORD).await;
    let bert = app.login("bert", PASSWORD).await;

    let hash = enkat::staff::NewPassword::parse(
        &enkat::staff::AccountName::parse("anna").unwrap(),
        "ett helt nytt lösenord".into(),
    )
    .unwrap()
    .hash()
    .unwrap();
    assert!(app.store.change_staff_password("anna", &hash).await.unwrap());

    assert_eq!(app.get_as(&anna, "/staff").await.status, StatusCode::SEE_OTHER, "anna must log in again");
    assert_eq!(app.get_as(&bert, "/staff").await.status, StatusCode::OK, "bert is not affected");
    assert_eq!(app.try_login("anna", PASSWORD, None).await.status, StatusCode::UNPROCESSABLE_ENTITY);
    app.login("anna", "ett helt nytt lösenord").await;
}

async fn every_staff_route_refuses_an_anonymous_request(backend: Backend) {
    let app = TestApp::shipped(backend).await;
    for &(method, path, _) in STAFF_ROUTES {
        let page = app.send(request(method, path, None)).await;
        if method == "GET" {
            let to_login =
                page.status == StatusCode::SEE_OTHER && page.header("location").starts_with("/staff/login?next=");
            let challenged = page.status == StatusCode::UNAUTHORIZED && page.header("www-authenticate") == "Bearer";
            assert!(to_login || challenged, "{method} {path}: sent to log in or challenged, got {}", page.status);
        } else {
            assert!(
                matches!(page.status, StatusCode::FORBIDDEN | StatusCode::UNAUTHORIZED),
                "{method} {path}: refused, got {}",
                page.status
            );
        }
    }
}

async fn every_staff_route_exists_for_an_admin(backend: Backend) {
    let app = TestApp::shipped(backend).await;
    let cookie = app.logged_in_admin().await;
    for &(method, path, _) in STAFF_ROUTES {
        let page = app.send(request(method, path, Some(&cookie))).await;
        assert_ne!(page.status, StatusCode::NOT_FOUND, "{method} {path} is routed");
        assert_ne!(page.status, StatusCode::METHOD_NOT_ALLOWED, "{method} {path} is routed for {method}");
        assert!(!page.status.is_server_error(), "{method} {path}: {}", page.status);
    }
}

/// The role matrix: an account of each role in the unit `nexus`, one that
/// is an admin of another unit only, and one with no role at all, each ask
/// every staff route (posts with their session's CSRF token, so that only
/// the role can refuse them). A route refuses every role below the one it
/// needs with 403, and answers 404 to an account of another unit, as for a
/// questionnaire that does not exist.
async fn every_staff_route_refuses_every_role_below_the_one_it_needs(backend: Backend) {
    let app = TestApp::shipped(backend).await;
    let mut accounts: Vec<(String, Option<UnitRole>, String)> = Vec::new();
    for role in UnitRole::ALL {
        let name = format!("nexus-{role}");
        app.add_account(&name, PASSWORD, false).await;
        app.grant(&name, "nexus", role).await;
        accounts.push((name.clone(), Some(role), app.login(&name, PASSWORD).await));
    }
    app.add_account("annan-enhet", PASSWORD, false).await;
    app.grant("annan-enhet", "stodteamet", UnitRole::Admin).await;
    accounts.push(("annan-enhet".to_owned(), None, app.login("annan-enhet", PASSWORD).await));
    app.add_account("utan-roll", PASSWORD, false).await;
    let nobody = app.login("utan-roll", PASSWORD).await;

    let mut checked = 0;
    for &(method, path, needs) in STAFF_ROUTES {
        // Logging out ends the session the next rows need; it needs no role.
        if path == "/staff/logout" {
            continue;
        }
        for (name, role, cookie) in &accounts {
            let mut request = Request::builder().method(method).uri(path).header(header::COOKIE, cookie.as_str());
            if method != "GET" {
                request = request
                    .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                    .header("x-csrf-token", app.csrf_token(cookie).await);
            }
            let page = app.send(request.body(Body::empty()).unwrap()).await;
            let expected = match (needs, role) {
                (Needs::Account, _) => None,
                (Needs::GlobalAdmin, _) => Some(StatusCode::FORBIDDEN),
                (Needs::AdminOfSomeUnit, Some(role)) if *role < UnitRole::Admin => Some(StatusCode::FORBIDDEN),
                (Needs::AdminOfSomeUnit, _) => None,
                (Needs::Unit(_), None) => Some(StatusCode::NOT_FOUND),
                (Needs::Unit(needed), Some(role)) if role < &needed => Some(StatusCode::FORBIDDEN),
                (Needs::Unit(_), Some(_)) => None,
            };
            match expected {
                Some(status) => assert_eq!(page.status, status, "{method} {path} as {name}: {}", page.body),
                None => assert!(
                    !matches!(page.status, StatusCode::FORBIDDEN | StatusCode::NOT_FOUND | StatusCode::UNAUTHORIZED)
                        && !page.status.is_server_error(),
                    "{method} {path} as {name} is allowed, got {}: {}",
                    page.status,
                    page.body
                ),
            }
            if expected == Some(StatusCode::NOT_FOUND) {
                assert!(!page.body.contains("Nexus"), "{method} {path}: another unit's page names nothing");
            }
            checked += 1;
        }
        // No role at all: no questionnaire exists.
        if matches!(needs, Needs::Unit(_)) && method == "GET" {
            assert_eq!(app.get_as(&nobody, path).await.status, StatusCode::NOT_FOUND, "{path} without a role");
        }
    }
    assert!(checked > 80, "{checked} requests");
    // Each export is audited with the role it was made under.
    let audit = app.store.audit_events(Some("export"), 500).await.unwrap();
    assert!(
        audit.iter().any(|event| event.actor == "nexus-viewer" && event.details.ends_with("(som läsare för nexus)")),
        "{audit:?}"
    );
    assert!(audit.iter().all(|event| event.actor.starts_with("nexus-")), "no refused export is audited as made");
    // The start page names only the units' own questionnaires.
    let start = app.get_as(&accounts[3].2, "/staff").await;
    assert!(!start.body.contains("/staff/q/nexus"), "another unit's admin is not shown Nexus");
    let start = app.get_as(&accounts[0].2, "/staff").await;
    assert!(start.body.contains("/staff/q/nexus"), "a viewer of nexus is");
}

async fn an_unknown_staff_path_refuses_anonymous_requests_before_it_is_not_found(backend: Backend) {
    let app = TestApp::shipped(backend).await;
    for path in ["/staff/nothing-here", "/staff/q/nexus/secret", "/staff/"] {
        let get = app.get(path).await;
        assert_eq!(get.status, StatusCode::SEE_OTHER, "GET {path}");
        assert!(get.header("location").starts_with("/staff/login?next="), "GET {path}");
        assert_eq!(app.post_form(path, &[]).await.status, StatusCode::FORBIDDEN, "POST {path}");
    }
    let cookie = app.logged_in_admin().await;
    let page = app.get_as(&cookie, "/staff/nothing-here").await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
    assert_eq!(page.text("h1"), "Sidan finns inte");
}

async fn the_start_page_lists_the_questionnaires_with_their_response_counts(backend: Backend) {
    let app = TestApp::shipped(backend).await;
    let cookie = app.logged_in_admin().await;
    assert_eq!(app.get_as(&cookie, "/staff").await.texts("td.number"), ["0", "0"]);

    let nexus = app.catalog.get("nexus").unwrap();
    let response = enkat::store::NewResponse {
        questionnaire: nexus,
        language: "sv",
        submitted_on: nexus.date_precision.coarsen(app.today()),
        answers: &[],
        submission: None,
        channel: enkat::questionnaire::Channel::Web,
    };
    for _ in 0..5 {
        app.store.insert_response(&response).await.unwrap();
    }
    let page = app.get_as(&cookie, "/staff").await;
    assert_eq!(page.texts("td.number"), ["0", "0"], "never a live count: a reload must not show each arrival");

    let later = app.later(70).await;
    let cookie = later.login("admin", PASSWORD).await;
    let page = later.get_as(&cookie, "/staff").await;
    assert_eq!(page.texts("td.number"), ["5", "0"], "counted once their month has closed");
    assert_eq!(page.attributes("td a", "href"), ["/staff/q/nexus", "/staff/q/telefon"]);
    assert_eq!(page.texts("td a"), ["Vad tyckte du om stödet från Nexus?", "Vad tyckte du om samtalet med Nexus?"]);
}

async fn the_audit_log_shows_logins_and_failures_to_admins_only(backend: Backend) {
    let app = TestApp::shipped(backend).await;
    app.add_staff("anna", PASSWORD, false).await;
    app.try_login("anna", "mitt hemliga försök", None).await;
    let anna = app.login("anna", PASSWORD).await;

    let refused = app.get_as(&anna, "/staff/audit").await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert_eq!(refused.text("h1"), "Du saknar behörighet");

    let admin = app.logged_in_admin().await;
    app.store.record_audit("anna", "export", "nexus, csv", app.clock.now_utc()).await.unwrap();
    let page = app.get_as(&admin, "/staff/audit").await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(
        page.attributes("tbody tr", "data-action"),
        ["export", "login", "login", "login_failed"],
        "newest first"
    );
    assert!(page.texts("tbody tr td").contains(&"Misslyckad inloggning".to_owned()));
    assert!(!page.body.contains("mitt hemliga försök"), "a password tried is never recorded");

    let failures = app.get_as(&admin, "/staff/audit?action=login_failed").await;
    assert_eq!(failures.attributes("tbody tr", "data-action"), ["login_failed"]);
    assert_eq!(failures.attributes("option[selected]", "value"), ["login_failed"]);
    let stored = query_strings(&app.store, "SELECT details FROM audit_event").await.join(" ");
    assert!(!stored.contains("hemliga"), "nor stored");
}

async fn respondent_pages_set_no_cookie_even_for_logged_in_staff(backend: Backend) {
    let app = TestApp::shipped(backend).await;
    let cookie = app.logged_in_admin().await;
    for uri in ["/s/nexus", "/s/nexus/tack", "/staff/login"] {
        let page = app.get_as(&cookie, uri).await;
        assert_eq!(page.headers.get_all(header::SET_COOKIE).iter().count(), 0, "GET {uri} sets no cookie");
    }
    let page = app.post_form_as(&cookie, "/s/nexus", &[("overall", "fairly_satisfied")]).await;
    assert_eq!(page.headers.get_all(header::SET_COOKIE).iter().count(), 0, "POST /s/nexus sets no cookie");
}

// --- The command line ---

#[test]
fn enkat_staff_and_enkat_token_manage_accounts_and_tokens() {
    let folder = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", folder.path().join("enkat.db").display());

    let added = enkat(&url, &["staff", "add", "anna", "--admin"], Some(PASSWORD));
    assert!(added.status.success(), "staff add: {}", stderr(&added));
    let added = enkat(&url, &["staff", "add", "bert"], Some(PASSWORD));
    assert!(added.status.success(), "staff add: {}", stderr(&added));
    let again = enkat(&url, &["staff", "add", "anna"], Some(PASSWORD));
    assert!(!again.status.success());
    assert!(stderr(&again).contains("already exists"), "{}", stderr(&again));

    let list = stdout(&enkat(&url, &["staff", "list"], None));
    let today = OffsetDateTime::now_utc().date().to_string();
    let rows: Vec<Vec<&str>> = list.lines().map(|line| line.split_whitespace().collect()).collect();
    assert_eq!(
        rows,
        [
            vec!["NAME", "ADMIN", "ROLES", "CREATED", "SIGN-IN"],
            vec!["anna", "yes", "*:admin", today.as_str(), "password"],
            vec!["bert", "no", "-", today.as_str(), "password"]
        ]
    );
    assert!(stdout(&added).contains("enkat staff grant bert --unit UNIT --role viewer"), "{}", stdout(&added));

    // Roles per unit: granted, replaced, listed, taken back, audited.
    for (unit, role) in [("nexus", "viewer"), ("nexus", "coordinator"), ("stodteamet", "admin")] {
        let granted = enkat(&url, &["staff", "grant", "bert", "--unit", unit, "--role", role], None);
        assert!(granted.status.success(), "staff grant: {}", stderr(&granted));
    }
    let list = stdout(&enkat(&url, &["staff", "list"], None));
    assert!(list.contains("nexus:coordinator,stodteamet:admin"), "{list}");
    for (args, problem) in [
        (["staff", "grant", "bert", "--unit", "Nexus!", "--role", "viewer"], "a unit is written like"),
        (["staff", "grant", "bert", "--unit", "nexus", "--role", "owner"], "viewer, coordinator or admin"),
        (["staff", "grant", "nobody", "--unit", "nexus", "--role", "viewer"], "no account"),
    ] {
        let refused = enkat(&url, &args, None);
        assert!(!refused.status.success(), "{args:?}");
        assert!(stderr(&refused).contains(problem), "{args:?}: {}", stderr(&refused));
    }
    let revoked = enkat(&url, &["staff", "revoke", "bert", "--unit", "stodteamet"], None);
    assert!(revoked.status.success(), "staff revoke: {}", stderr(&revoked));
    assert!(!enkat(&url, &["staff", "revoke", "bert", "--unit", "stodteamet"], None).status.success(), "held none");
    let list = stdout(&enkat(&url, &["staff", "list"], None));
    assert!(list.contains(" nexus:coordinator "), "{list}");
    let audited = tokio::runtime::Runtime::new().unwrap().block_on(async {
        let store = Store::connect(&url).await.unwrap();
        let events = store.audit_events(None, 100).await.unwrap();
        events.into_iter().map(|event| format!("{} {}", event.action, event.details)).collect::<Vec<_>>()
    });
    for line in [
        "role_granted konto: bert, enhet: nexus, roll: viewer",
        "role_granted konto: bert, enhet: nexus, roll: coordinator",
        "role_revoked konto: bert, enhet: stodteamet",
    ] {
        assert!(audited.iter().any(|event| event == line), "{line} in {audited:?}");
    }

    let created = enkat(&url, &["token", "create", "anna", "--label", "månadsrapport"], None);
    assert!(created.status.success(), "token create: {}", stderr(&created));
    let token = stdout(&created).trim().to_owned();
    assert_eq!(token.len(), 64, "the token alone on stdout: {token:?}");
    assert!(stderr(&created).contains("shown only this once"));
    assert!(!enkat(&url, &["token", "create", "nobody"], None).status.success(), "no token without an account");

    let list = stdout(&enkat(&url, &["token", "list"], None));
    assert!(list.lines().nth(1).is_some_and(|row| row.starts_with("1  ") && row.contains("månadsrapport")), "{list}");
    assert!(!list.contains(&token), "the token is never shown again");

    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let app = TestApp::on_database(&url).await;
        let page = app.get_with_token(&token, "/staff/api/whoami").await;
        assert_eq!((page.status, page.body.as_str()), (StatusCode::OK, "anna"), "the printed token works");
        app.login("anna", PASSWORD).await;
        app.store.close().await;
    });

    let revoked = enkat(&url, &["token", "revoke", "1"], None);
    assert!(revoked.status.success(), "token revoke: {}", stderr(&revoked));
    assert!(!enkat(&url, &["token", "revoke", "1"], None).status.success(), "revoked once only");
    let list = stdout(&enkat(&url, &["token", "list"], None));
    assert!(list.lines().nth(1).is_some_and(|row| row.trim_end().ends_with(&today)), "revoked today: {list}");

    let changed = enkat(&url, &["staff", "passwd", "bert"], Some("ett helt nytt lösenord"));
    assert!(changed.status.success(), "staff passwd: {}", stderr(&changed));
    let removed = enkat(&url, &["staff", "remove", "anna"], None);
    assert!(removed.status.success(), "staff remove: {}", stderr(&removed));
    assert!(!enkat(&url, &["staff", "remove", "anna"], None).status.success(), "removed once only");
    let list = stdout(&enkat(&url, &["staff", "list"], None));
    assert!(!list.contains("anna") && list.contains("bert"), "{list}");

    runtime.block_on(async {
        let app = TestApp::on_database(&url).await;
        assert_eq!(app.get_with_token(&token, "/staff/api/whoami").await.status, StatusCode::UNAUTHORIZED);
        assert_eq!(app.try_login("bert", PASSWORD, None).await.status, StatusCode::UNPROCESSABLE_ENTITY);
        app.login("bert", "ett helt nytt lösenord").await;
        let actions = query_strings(&app.store, "SELECT action FROM audit_event WHERE actor = 'cli' ORDER BY id").await;
        assert_eq!(
            actions,
            [
                "account_added",
                "account_added",
                "role_granted",
                "role_granted",
                "role_granted",
                "role_revoked",
                "token_created",
                "token_revoked",
                "password_changed",
                "account_removed"
            ]
        );
        app.store.close().await;
    });
}

#[test]
fn enkat_staff_add_refuses_a_weak_password_or_a_bad_name_and_says_why() {
    let folder = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", folder.path().join("enkat.db").display());
    for (args, password, reason) in [
        (["staff", "add", "anna"], "kort", "too short: use at least 12 characters"),
        (["staff", "add", "anna.berg.nexus"], "anna.berg.nexus", "may not be the account name"),
        (["staff", "add", "Anna"], PASSWORD, "not a valid account name"),
        (["staff", "add", "anna"], "", "too short"),
    ] {
        let output = enkat(&url, &args, Some(password));
        assert!(!output.status.success(), "{args:?} with {password:?} is refused");
        assert!(stderr(&output).contains(reason), "{args:?}: says {reason:?}; says {:?}", stderr(&output));
    }
    let list = stdout(&enkat(&url, &["staff", "list"], None));
    assert_eq!(list.lines().count(), 1, "no account was created: {list}");
}

// --- Helpers ---

/// Failed logins for `n` names no account has, as a stranger's script
/// spraying guesses: as many at once as passwords can be checked at once.
async fn fail_with_random_names(app: &TestApp, n: usize) {
    let mut names = (0..n).map(|i| format!("stranger{i}.{}", uuid::Uuid::new_v4().simple()));
    loop {
        let batch: Vec<String> = names.by_ref().take(password_check_limit()).collect();
        if batch.is_empty() {
            break;
        }
        let pages =
            futures_util::future::join_all(batch.iter().map(|name| app.try_login(name, "gissning", None))).await;
        for page in pages {
            assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY, "a random name's failure: {}", page.body);
        }
    }
}

/// Logs `name` in with the password; returns the device cookie the browser
/// keeps (`enkat_device=...`).
async fn device_cookie(app: &TestApp, name: &str) -> String {
    let page = app.try_login(name, PASSWORD, None).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{name} logs in");
    let cookie = page.cookie(DEVICE_COOKIE).expect("a device cookie");
    format!("{}={}", cookie.name(), cookie.value())
}

/// The app's clock, `minutes` later.
fn moved(app: &TestApp, minutes: i64) -> Clock {
    Clock::fixed(app.clock.now() + jiff::SignedDuration::from_mins(minutes), "Europe/Stockholm").unwrap()
}

fn minutes(n: u64) -> Duration {
    Duration::from_secs(n * 60)
}

/// Moves every session's start and last use into the past, by the
/// service's clock.
async fn set_session_times(app: &TestApp, since_start: Duration, since_last_use: Duration) {
    const UPDATE: &str = "UPDATE staff_session SET started_at = $1, last_seen_at = $2";
    let store = &app.store;
    let now = app.clock.now_utc().replace_nanosecond(0).unwrap();
    let (started, last_seen) = (now - since_start, now - since_last_use);
    match store {
        Store::Sqlite(pool) => {
            sqlx::query(UPDATE).bind(started).bind(last_seen).execute(pool).await.unwrap().rows_affected()
        }
        Store::Postgres(pool) => {
            sqlx::query(UPDATE).bind(started).bind(last_seen).execute(pool).await.unwrap().rows_affected()
        }
    };
}

async fn count(store: &Store, sql: &'static str) -> i64 {
    match store {
        Store::Sqlite(pool) => sqlx::query_scalar(sql).fetch_one(pool).await.unwrap(),
        Store::Postgres(pool) => sqlx::query_scalar(sql).fetch_one(pool).await.unwrap(),
    }
}

async fn query_strings(store: &Store, sql: &'static str) -> Vec<String> {
    match store {
        Store::Sqlite(pool) => sqlx::query_scalar(sql).fetch_all(pool).await.unwrap(),
        Store::Postgres(pool) => sqlx::query_scalar(sql).fetch_all(pool).await.unwrap(),
    }
}

fn request(method: &str, path: &str, cookie: Option<&str>) -> Request<Body> {
    let mut request = Request::builder().method(method).uri(path);
    if let Some(cookie) = cookie {
        request = request.header(header::COOKIE, cookie);
    }
    if method != "GET" {
        request = request.header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
    }
    request.body(Body::empty()).unwrap()
}

/// Runs the real `enkat` binary on `database_url`, with `stdin` piped in
/// as one line (or nothing).
fn enkat(database_url: &str, args: &[&str], stdin: Option<&str>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_enkat"))
        .args(args)
        .env("DATABASE_URL", database_url)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("enkat runs");
    let mut input = child.stdin.take().unwrap();
    if let Some(line) = stdin {
        // enkat may refuse (a bad name) and exit before reading: a broken
        // pipe here is its answer, not the test's failure.
        let _ = writeln!(input, "{line}");
    }
    drop(input);
    child.wait_with_output().unwrap()
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}
