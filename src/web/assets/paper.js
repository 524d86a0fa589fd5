// The paper entry page's one script (staff only), served by the binary.
// Nothing needs it: the form works without JavaScript. It lets the number
// keys 1-9 pick the n-th option of the question that has the focus: a
// radio button is chosen at once; a checkbox gets the focus, for Space to
// tick it (a key press never unticks what was typed in).
(function () {
  "use strict";

  var form = document.querySelector("form.paper-entry");
  if (!form) {
    return;
  }
  form.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.altKey || event.metaKey || event.key.length !== 1) {
      return;
    }
    var n = event.key.charCodeAt(0) - 48;
    var target = event.target;
    if (n < 1 || n > 9 || !(target instanceof HTMLInputElement)) {
      return;
    }
    if (target.type !== "radio" && target.type !== "checkbox") {
      return;
    }
    var group = target.closest("fieldset[data-number-keys]");
    if (!group) {
      return;
    }
    var options = group.querySelectorAll("input[type=radio], input[type=checkbox]");
    var option = options[n - 1];
    event.preventDefault();
    if (!option) {
      return;
    }
    option.focus();
    if (option.type === "radio") {
      option.checked = true;
      option.dispatchEvent(new Event("change", { bubbles: true }));
    }
  });
})();
