/* After a failed submit, put the reader on the list of what to fix.
 *
 * The page works without this file: the summary has role="alert" and autofocus, so it is
 * announced and focused anyway in current browsers. This covers browsers that ignore
 * autofocus outside form fields, and makes the summary's links land in the field itself
 * (a plain #fragment link only scrolls to it). */
(function () {
  "use strict";

  var summary = document.querySelector("[data-error-summary]");
  if (!summary) {
    return;
  }
  if (document.activeElement !== summary) {
    summary.focus();
  }

  summary.addEventListener("click", function (event) {
    var link = event.target.closest("a[href^='#']");
    var field = link && document.getElementById(link.getAttribute("href").slice(1));
    if (!field) {
      return;
    }
    event.preventDefault();
    // Show the field's label too, which the browser's own scrolling would leave off-screen.
    var label = document.querySelector("label[for='" + field.id + "']");
    (label || field).scrollIntoView();
    field.focus({ preventScroll: true });
  });
})();
