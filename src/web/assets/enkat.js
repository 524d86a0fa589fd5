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

// Quick exit, as GOV.UK's "Exit this page" component: Shift pressed three
// times (at most 5 s apart, any other key starts the count again), or the
// exit link, hides the page at once, empties every form and goes to the
// neutral site with location.replace, so that the survey page leaves the
// history and Back does not return to it (GOV.UK uses an ordinary link).
// Forms are also emptied when the page is left or comes back from the
// back/forward cache. Nothing is kept in any browser storage.
(function () {
  "use strict";

  var PRESS_WINDOW_MILLISECONDS = 5000;
  var bar = document.querySelector(".exit-bar");
  var exitLink = bar && bar.querySelector("a.exit-button");
  if (!exitLink) {
    return;
  }
  var status = document.getElementById("exit-status");
  var presses = 0;
  var lastPress = 0;

  function resetForms() {
    Array.prototype.forEach.call(document.forms, function (form) {
      form.reset();
    });
  }

  function announce(text) {
    if (status) {
      status.textContent = text || "";
    }
  }

  function leave() {
    // Hidden first: whatever happens next, an onlooker sees nothing.
    document.documentElement.classList.add("exiting");
    announce(bar.getAttribute("data-leaving"));
    resetForms();
    window.location.replace(exitLink.href);
  }

  document.addEventListener("keydown", function (event) {
    if (event.key !== "Shift") {
      presses = 0;
      return;
    }
    if (event.repeat) {
      return;
    }
    var now = Date.now();
    presses = presses > 0 && now - lastPress <= PRESS_WINDOW_MILLISECONDS ? presses + 1 : 1;
    lastPress = now;
    if (presses >= 3) {
      presses = 0;
      leave();
    } else if (presses === 2) {
      announce(bar.getAttribute("data-shift-one-more"));
    } else {
      announce(bar.getAttribute("data-shift-two-more"));
    }
  });

  Array.prototype.forEach.call(document.querySelectorAll(".exit-bar a.exit-button, .exit-bar a.exit-link"), function (link) {
    link.addEventListener("click", function (event) {
      event.preventDefault();
      leave();
    });
  });

  window.addEventListener("pagehide", resetForms);
  window.addEventListener("pageshow", function (event) {
    if (event.persisted) {
      document.documentElement.classList.remove("exiting");
      resetForms();
    }
  });
})();

// The error summary: when a form comes back with errors the focus moves to
// the summary (it has tabindex="-1"), so a screen reader reads it first and
// Tab goes on from there. Its links move the focus to their field and show
// the whole question, its legend too (a fragment link alone only scrolls).
(function () {
  "use strict";

  var summary = document.querySelector(".error-summary");
  if (!summary) {
    return;
  }
  summary.focus();
  summary.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest("a[href^='#']") : null;
    var field = link && document.getElementById(link.getAttribute("href").slice(1));
    if (!field) {
      return;
    }
    event.preventDefault();
    var question = field.closest(".question") || field;
    question.scrollIntoView({ block: "start" });
    field.focus({ preventScroll: true });
  });
})();

// Questions that follow the answers on the same page: a question whose
// condition looks at an earlier question of its page (`data-show-if-*`)
// appears when the condition holds and disappears when it does not, and the
// change is announced politely. Without the script every such question is
// shown with a note saying when to answer it; the server decides in the
// end, and drops the answer to a question whose condition is false.
(function () {
  "use strict";

  var form = document.querySelector("form.questionnaire");
  var dependents = form ? form.querySelectorAll(".question[data-show-if-question]") : [];
  if (!dependents.length) {
    return;
  }
  var status = document.getElementById("form-status");

  function words(block, name) {
    var value = block.getAttribute(name);
    return value ? value.split(" ") : null;
  }

  // What is chosen or written for a question; nothing if its block is hidden,
  // as the server treats a question that is not shown as unanswered.
  function answers(questionId) {
    var block = document.getElementById("question-" + questionId);
    if (block && block.hidden) {
      return [];
    }
    var given = [];
    Array.prototype.forEach.call(form.elements, function (field) {
      if (field.name === questionId + ".other" && field.value.trim() !== "") {
        given.push("other");
      } else if (field.name !== questionId || field.type === "hidden") {
        return;
      } else if (field.type === "radio" || field.type === "checkbox") {
        if (field.checked) {
          given.push(field.value);
        }
      } else if (field.value.trim() !== "") {
        given.push(field.value.trim());
      }
    });
    return given;
  }

  function holds(block) {
    var given = answers(block.getAttribute("data-show-if-question"));
    var anyOf = words(block, "data-show-if-any-of");
    var noneOf = words(block, "data-show-if-none-of");
    var chose = function (options) {
      return options.some(function (option) {
        return given.indexOf(option) !== -1;
      });
    };
    if (anyOf) {
      return given.length > 0 && chose(anyOf);
    }
    if (noneOf) {
      return given.length > 0 && !chose(noneOf);
    }
    return (given.length > 0) === (block.getAttribute("data-show-if-answered") === "true");
  }

  function update(announce) {
    // In page order, so a question that depends on one just hidden follows it.
    Array.prototype.forEach.call(dependents, function (block) {
      var show = holds(block);
      if (block.hidden === !show) {
        return;
      }
      block.hidden = !show;
      if (announce && status) {
        var template = form.getAttribute(show ? "data-question-shown" : "data-question-hidden");
        status.textContent = template.replace("{question}", block.getAttribute("data-question-text"));
      }
    });
  }

  Array.prototype.forEach.call(form.querySelectorAll(".condition-note"), function (note) {
    note.hidden = true;
  });
  form.addEventListener("change", function () {
    update(true);
  });
  form.addEventListener("input", function () {
    update(true);
  });
  update(false);
})();
