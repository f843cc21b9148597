// Keyboard shortcuts for the moderation desk. Every action is also a plain form button,
// so the desk works the same without this file.
(function () {
  "use strict";

  var cards = Array.prototype.slice.call(document.querySelectorAll("[data-card]"));
  var current = -1;

  function typing(target) {
    var tag = target.tagName;
    return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || target.isContentEditable;
  }

  function focusCard(index) {
    if (!cards.length) { return; }
    current = Math.max(0, Math.min(cards.length - 1, index));
    cards.forEach(function (card) { card.classList.remove("is-current"); });
    cards[current].classList.add("is-current");
    cards[current].focus();
    cards[current].scrollIntoView({ block: "nearest" });
  }

  function pressInCard(shortcut) {
    if (current < 0) { return; }
    var button = cards[current].querySelector('[data-shortcut="' + shortcut + '"]');
    if (button) { button.click(); }
  }

  cards.forEach(function (card, index) {
    card.addEventListener("focusin", function () { current = index; });
  });

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) { return; }
    switch (event.key) {
      case "j": focusCard(current + 1); break;
      case "k": focusCard(current - 1); break;
      case "a": case "s": case "t": pressInCard(event.key); break;
      case "x":
        if (current >= 0) { cards[current].querySelector(".card-select").click(); }
        break;
      case "u": {
        var undo = document.querySelector('.undo-form [data-shortcut="u"]');
        if (undo) { undo.click(); }
        break;
      }
      case "?": {
        var help = document.getElementById("shortcut-help");
        if (help) { help.open = !help.open; }
        break;
      }
      default: return;
    }
    event.preventDefault();
  });

  // "Select all on this page" as a checkbox, for those with scripts on.
  var bulk = document.getElementById("bulk-form");
  if (bulk && cards.length) {
    var label = document.createElement("label");
    var all = document.createElement("input");
    all.type = "checkbox";
    all.className = "select-all";
    all.addEventListener("change", function () {
      document.querySelectorAll(".card-select").forEach(function (box) { box.checked = all.checked; });
    });
    label.appendChild(all);
    label.appendChild(document.createTextNode(" Select all on this page"));
    bulk.insertBefore(label, bulk.firstChild);
  }
}());
