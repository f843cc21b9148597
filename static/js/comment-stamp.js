// The comment form's stamp: asked for when the reader first turns to the form.
// The article page is one copy for every reader (and for any cache in front of us), so it
// cannot carry a stamp of its own. The stamp records when the reader began, and gives the
// form an id that makes a second press of "Post Comment" harmless.
// Without this file the form still works: the first send comes back with a stamp and a
// sentence asking the reader to check and send again.
(function () {
  "use strict";

  var form = document.querySelector("form.comment-form[data-stamp-url]");
  if (!form || !window.fetch) { return; }
  var stampInput = form.querySelector("input[name=stamp]");
  if (!stampInput) { return; }
  var asked = null;

  function askForStamp() {
    if (stampInput.value) { return Promise.resolve(); }
    if (!asked) {
      asked = fetch(form.getAttribute("data-stamp-url"), {
        credentials: "same-origin",
        cache: "no-store",
        headers: { "Accept": "application/json" }
      })
        .then(function (response) { return response.ok ? response.json() : {}; })
        .then(function (answer) {
          if (answer.stamp && !stampInput.value) { stampInput.value = answer.stamp; }
        })
        .catch(function () { asked = null; });
    }
    return asked;
  }

  form.addEventListener("focusin", askForStamp);
  form.addEventListener("submit", function (event) {
    if (stampInput.value || form.hasAttribute("data-stamp-waited")) { return; }
    // Sent before the stamp arrived: wait for it once, then send as the reader asked.
    event.preventDefault();
    form.setAttribute("data-stamp-waited", "");
    var send = function () { form.requestSubmit ? form.requestSubmit() : form.submit(); };
    askForStamp().then(send, send);
  });
}());
