// "Reply" without a page load: move the comment form under the comment being answered.
// Without this file the same links reload the page with ?replytocom=ID#respond.
(function () {
  "use strict";

  var respond = document.getElementById("respond");
  var parentInput = document.getElementById("comment-parent");
  var title = document.getElementById("reply-title");
  var cancel = document.getElementById("cancel-reply");
  if (!respond || !parentInput || !title || !cancel) { return; }

  var home = document.createElement("div");
  home.id = "respond-home";
  respond.parentNode.insertBefore(home, respond);

  function replyTo(link) {
    var comment = link.closest("li.comment");
    comment.querySelector("article").insertAdjacentElement("afterend", respond);
    parentInput.value = link.getAttribute("data-reply-to");
    title.textContent = "Reply to " + link.getAttribute("data-reply-name");
    cancel.parentNode.hidden = false;
    var firstField = respond.querySelector("input:not([type=hidden]), textarea");
    if (firstField) { firstField.focus(); }
  }

  function cancelReply() {
    home.insertAdjacentElement("afterend", respond);
    parentInput.value = "";
    title.textContent = title.getAttribute("data-default-title");
    cancel.parentNode.hidden = true;
    title.focus();
  }

  title.setAttribute("tabindex", "-1");
  document.addEventListener("click", function (event) {
    var link = event.target.closest(".comment-reply-link");
    if (link) {
      event.preventDefault();
      replyTo(link);
    } else if (event.target.closest("#cancel-reply")) {
      event.preventDefault();
      cancelReply();
    }
  });
}());
