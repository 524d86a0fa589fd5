// enkat's one script, served by the binary. Nothing needs it: every page
// works without JavaScript; this only adds safety and comfort on top.
(function () {
  "use strict";

  // A one-time code from a card (`?kod=...`) must not stay in the address
  // bar or the browser history; the form carries it from here on.
  var url = new URL(window.location.href);
  if (url.searchParams.has("kod")) {
    url.searchParams.delete("kod");
    window.history.replaceState(window.history.state, "", url.pathname + url.search + url.hash);
  }
})();
