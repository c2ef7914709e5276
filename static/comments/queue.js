// Keyboard for the moderation queue: j / k (or arrows) move between comments, a approves,
// r rejects, s marks as spam, t trusts the author from the browser the comment came from (and
// approves it), e replies as the author, x selects the row for a bulk action, o opens its page.
// After a decision the page reloads on the same place in the queue, which is the next comment.
// The admin puts this script in <head>: it starts once the queue's rows exist.
document.addEventListener("DOMContentLoaded", function () {
  "use strict";
  var rows = Array.prototype.slice.call(document.querySelectorAll("#result_list tbody tr"));
  if (!rows.length) return;
  var KEY = "quire-queue-position";
  var current = Math.min(Number(sessionStorage.getItem(KEY)) || 0, rows.length - 1);

  function show(index) {
    rows[current].classList.remove("queue-current");
    rows[current].removeAttribute("aria-current");
    current = Math.max(0, Math.min(index, rows.length - 1));
    rows[current].classList.add("queue-current");
    rows[current].setAttribute("aria-current", "true");
    rows[current].scrollIntoView({ block: "nearest" });
    sessionStorage.setItem(KEY, String(current));
  }

  function press(decision) {
    var button = rows[current].querySelector('button[name="decide"][value^="' + decision + ':"]');
    if (button) button.click();
  }

  document.addEventListener("keydown", function (event) {
    var target = event.target;
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    if (target.closest && target.closest("input, textarea, select, [contenteditable]")) return;
    var actions = {
      j: function () { show(current + 1); },
      ArrowDown: function () { show(current + 1); },
      k: function () { show(current - 1); },
      ArrowUp: function () { show(current - 1); },
      a: function () { press("approve"); },
      r: function () { press("reject"); },
      s: function () { press("spam"); },
      t: function () { press("trust"); },
      x: function () {
        var box = rows[current].querySelector("input.action-select");
        if (box) box.click();
      },
      e: function () {
        var link = rows[current].querySelector("a.queue-reply");
        if (link) window.location.href = link.href;
      },
      o: function () {
        var link = rows[current].querySelector("a.queue-details");
        if (link) window.location.href = link.href;
      },
    };
    var action = actions[event.key];
    if (action) {
      event.preventDefault();
      action();
    }
  });
  show(current);
});
