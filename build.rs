//! Turns the PostgreSQL tests on when a test database is named, and the
//! browser suite when asked for, so that `cargo test` without them reports
//! those tests as ignored, with the reason, instead of passing them silently.

fn main() {
    println!("cargo::rerun-if-env-changed=ENKAT_TEST_POSTGRES_URL");
    println!("cargo::rerun-if-env-changed=ENKAT_TEST_BROWSER");
    println!("cargo::rerun-if-env-changed=ENKAT_TEST_OIDC");
    println!("cargo::rustc-check-cfg=cfg(enkat_postgres)");
    println!("cargo::rustc-check-cfg=cfg(enkat_browser)");
    println!("cargo::rustc-check-cfg=cfg(enkat_oidc)");
    if std::env::var_os("ENKAT_TEST_POSTGRES_URL").is_some_and(|url| !url.is_empty()) {
        println!("cargo::rustc-cfg=enkat_postgres");
    }
    if std::env::var_os("ENKAT_TEST_BROWSER").is_some_and(|flag| flag == "1") {
        println!("cargo::rustc-cfg=enkat_browser");
    }
    if std::env::var_os("ENKAT_TEST_OIDC").is_some_and(|flag| flag == "1") {
        println!("cargo::rustc-cfg=enkat_oidc");
    }
}
