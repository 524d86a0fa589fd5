//! Turns the PostgreSQL test suite on when a test database is named, so that
//! `cargo test` without one reports those tests as ignored, with the reason,
//! instead of passing them silently.

fn main() {
    println!("cargo::rerun-if-env-changed=ENKAT_TEST_POSTGRES_URL");
    println!("cargo::rustc-check-cfg=cfg(enkat_postgres)");
    if std::env::var_os("ENKAT_TEST_POSTGRES_URL").is_some_and(|url| !url.is_empty()) {
        println!("cargo::rustc-cfg=enkat_postgres");
    }
}
