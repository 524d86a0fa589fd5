//! Accounts signed in with an OpenID provider, as stored: found by their
//! subject, their grants replaced at each sign-in, on both databases.

use enkat::staff::UnitRole;

use crate::common::Backend;

on_both_databases!(an_account_of_the_provider_is_found_by_its_subject_and_its_grants_replaced);

async fn an_account_of_the_provider_is_found_by_its_subject_and_its_grants_replaced(backend: Backend) {
    let (store, _guard) = crate::common::fresh_store(backend).await;
    let now = time::OffsetDateTime::now_utc();
    let issuer = "https://login.example/tenant/v2.0";
    let coordinator = enkat::staff::Grants::new(false, [("nexus".to_owned(), UnitRole::Coordinator)]);
    assert!(store.add_oidc_account("anna", (issuer, "s1", "Uppsala kommun"), &coordinator, now).await.unwrap());
    assert!(!store.add_oidc_account("anna", (issuer, "s2", "Uppsala kommun"), &coordinator, now).await.unwrap());
    assert_eq!(store.oidc_account(issuer, "s2").await.unwrap(), None, "a taken name makes no account");
    let found = store.oidc_account(issuer, "s1").await.unwrap().expect("found by its subject");
    assert_eq!((found.name.as_str(), found.is_admin), ("anna", false));
    assert_eq!(store.oidc_account("https://other.example", "s1").await.unwrap(), None, "a subject is per issuer");
    assert_eq!(store.grants_of("anna", false).await.unwrap(), coordinator);

    let admin = enkat::staff::Grants::new(true, []);
    store.replace_oidc_grants("anna", "Region Uppsala", Some(&admin)).await.unwrap();
    let found = store.oidc_account(issuer, "s1").await.unwrap().unwrap();
    assert!(found.is_admin, "made a global admin");
    assert_eq!(store.grants_of("anna", false).await.unwrap(), enkat::staff::Grants::default(), "no unit grants left");
    assert_eq!(store.oidc_provider_of("anna").await.unwrap().as_deref(), Some("Region Uppsala"));
    store.replace_oidc_grants("anna", "Region Uppsala", None).await.unwrap();
    assert!(!store.oidc_account(issuer, "s1").await.unwrap().unwrap().is_admin, "nothing at all");
    assert_eq!(store.oidc_providers().await.unwrap(), vec![("anna".to_owned(), "Region Uppsala".to_owned())]);
    assert!(store.remove_staff_account("anna", now).await.unwrap().is_some());
    assert_eq!(store.oidc_account(issuer, "s1").await.unwrap(), None, "removed with its account");
}
