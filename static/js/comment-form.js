// The post page may come from the page cache, the same bytes for every reader, so its comment
// form holds no CSRF token and no signed timestamp. They are fetched when the reader starts
// writing, so the form's age and fill time are this reader's own. Without this script, or if
// the fetch fails, the form goes to the comment page, which hands back a fresh one.
(function () {
  "use strict";

  function renew(form) {
    return fetch(form.dataset.freshFields, {
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    })
      .then(function (response) {
        if (!response.ok) throw new Error("comment form fields: HTTP " + response.status);
        return response.json();
      })
      .then(function (data) {
        Object.keys(data.fields).forEach(function (name) {
          var input = form.querySelector('input[type="hidden"][name="' + name + '"]');
          if (!input) {
            input = document.createElement("input");
            input.type = "hidden";
            input.name = name;
            form.prepend(input);
          }
          input.value = data.fields[name];
        });
        // The text's name is this site's own; a page shown before the secret key was rotated
        // still has the old one.
        var text = form.querySelector("[data-comment-text]");
        if (text && data.text_field) text.name = data.text_field;
        form.action = data.action;
        form.dataset.renewed = "true";
      });
  }

  document.querySelectorAll("form[data-fresh-fields]").forEach(function (form) {
    var renewal = null;
    function start() {
      if (!renewal) {
        renewal = renew(form).catch(function () {
          renewal = null; // The next focus tries again; a send goes to the comment page.
        });
      }
      return renewal;
    }
    form.addEventListener("focusin", start);
    form.addEventListener("submit", function (event) {
      if (form.dataset.renewed) return;
      event.preventDefault();
      // form.submit() sends without firing this handler again, renewed or not.
      Promise.resolve(start()).finally(function () { form.submit(); });
    });
  });
})();
