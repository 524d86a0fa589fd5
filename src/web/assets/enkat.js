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

// Kiosk mode, idle reset: on a shared tablet, a form left untouched for
// 3 minutes is cleared and replaced by an empty one, so the next person never
// sees what the previous person began to answer. Only forms that carry
// `data-kiosk-restart` (the address of an empty form) take part.
(function () {
  "use strict";

  var IDLE_MILLISECONDS = 3 * 60 * 1000;
  var form = document.querySelector("form[data-kiosk-restart]");
  if (!form) {
    return;
  }
  var freshUrl = form.getAttribute("data-kiosk-restart");
  var timer = null;

  function restart() {
    form.reset();
    // replace, not assign: Back must not lead to the abandoned form.
    window.location.replace(freshUrl);
  }

  function touched() {
    window.clearTimeout(timer);
    timer = window.setTimeout(restart, IDLE_MILLISECONDS);
  }

  ["input", "click", "keydown"].forEach(function (type) {
    form.addEventListener(type, touched);
  });
  touched();
})();
