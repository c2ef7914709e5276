// Never lose a word: the post's words are kept while the author types, in this browser at
// once (a new post, an offline moment) and on the server a moment later (a crash, another
// computer). Opening the form again offers them back; nothing changes until the author accepts.
// Works on the plain fields and their input events, so an editor built around the body
// textarea keeps working: restoring sets .value and dispatches "input".
(function () {
  "use strict";

  var FIELDS = ["title", "body", "excerpt", "tags"];
  var SERVER_DELAY_MS = 1500;

  function start() {
    var panel = document.getElementById("desk-autosave");
    if (!panel) return;
    var form = panel.closest("form");
    var url = panel.dataset.url;
    var storageKey = panel.dataset.storageKey;
    var updatedAt = panel.dataset.postUpdatedAt || "";
    var offerBox = form.querySelector(".desk-autosave-offer");
    var status = form.querySelector(".desk-autosave-status");
    var offerData = document.getElementById("desk-autosave-offer-data");
    var serverCopy = offerData ? JSON.parse(offerData.textContent) : null;
    var paused = false;
    var dirty = false;
    var timer = null;

    function field(name) {
      return form.elements.namedItem(name);
    }

    function current() {
      var words = {};
      FIELDS.forEach(function (name) {
        var element = field(name);
        words[name] = element ? element.value : "";
      });
      return words;
    }

    function differs(copy, words) {
      return FIELDS.some(function (name) {
        return (copy[name] || "") !== (words[name] || "");
      });
    }

    function readLocal() {
      try {
        return JSON.parse(window.localStorage.getItem(storageKey));
      } catch (error) {
        return null;
      }
    }

    function writeLocal(copy) {
      try {
        window.localStorage.setItem(storageKey, JSON.stringify(copy));
      } catch (error) {
        // Storage full or refused (private mode): the server copy still covers the words.
      }
    }

    function forgetLocal() {
      try {
        window.localStorage.removeItem(storageKey);
      } catch (error) {
        // Nothing was kept.
      }
    }

    function timeOf(iso) {
      var when = new Date(iso);
      var time = when.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
      if (when.toDateString() === new Date().toDateString()) return time;
      return when.toLocaleDateString([], { month: "long", day: "numeric" }) + ", " + time;
    }

    function formData(extra) {
      var data = new FormData();
      data.append("csrfmiddlewaretoken", field("csrfmiddlewaretoken").value);
      var words = current();
      FIELDS.forEach(function (name) {
        data.append(name, words[name]);
      });
      Object.keys(extra || {}).forEach(function (name) {
        data.append(name, extra[name]);
      });
      return data;
    }

    function saveToServer() {
      timer = null;
      if (!url || !dirty) return;
      dirty = false;
      fetch(url, { method: "POST", body: formData(), credentials: "same-origin" })
        .then(function (response) {
          if (!response.ok) throw new Error(response.status);
          return response.json();
        })
        .then(function (answer) {
          status.textContent = "Draft autosaved at " + timeOf(answer.saved_at) + ".";
        })
        .catch(function () {
          dirty = true;
          status.textContent = "Not autosaved on the server just now: your words are kept in this browser.";
        });
    }

    function typed() {
      if (paused) return;
      writeLocal(Object.assign(current(), { savedAt: new Date().toISOString(), base: updatedAt }));
      dirty = true;
      if (!url) {
        status.textContent = "Your words are kept in this browser until you save.";
        return;
      }
      window.clearTimeout(timer);
      timer = window.setTimeout(saveToServer, SERVER_DELAY_MS);
    }

    function offer(copy) {
      paused = true;
      offerBox.querySelector(".desk-autosave-offer-text").textContent =
        "Restore the text you were writing at " + timeOf(copy.savedAt) + "?";
      offerBox.hidden = false;
      offerBox.querySelector(".desk-autosave-restore").addEventListener("click", function () {
        offerBox.hidden = true;
        paused = false;
        FIELDS.forEach(function (name) {
          var element = field(name);
          if (!element || element.value === (copy[name] || "")) return;
          element.value = copy[name] || "";
          element.dispatchEvent(new Event("input", { bubbles: true }));
          // As if typed: the admin's slug, filled from the title, listens for change.
          element.dispatchEvent(new Event("change", { bubbles: true }));
        });
        status.textContent = "Restored. Save to keep it.";
      });
      offerBox.querySelector(".desk-autosave-discard").addEventListener("click", function () {
        offerBox.hidden = true;
        paused = false;
        forgetLocal();
        if (url && copy === serverCopy) {
          fetch(url, { method: "POST", body: formData({ discard: "1" }), credentials: "same-origin" });
        }
      });
    }

    // A copy whose form was sent is saved if the post has changed since the page it was typed
    // on (a new post: if the form did not come back with errors). A failed save keeps it.
    var localCopy = readLocal();
    var saved =
      localCopy &&
      localCopy.submitted &&
      (url ? localCopy.base !== updatedAt : !document.querySelector(".errornote"));
    if (saved) {
      forgetLocal();
      localCopy = null;
    }
    var words = current();
    var candidates = [localCopy, serverCopy].filter(function (copy) {
      return copy && copy.savedAt && differs(copy, words);
    });
    candidates.sort(function (a, b) {
      return new Date(b.savedAt) - new Date(a.savedAt);
    });
    if (candidates.length) {
      offer(candidates[0]);
    } else if (localCopy) {
      forgetLocal(); // The form holds these very words: nothing to give back.
    }

    form.addEventListener("input", function (event) {
      if (FIELDS.indexOf(event.target.name) !== -1) typed();
    });

    form.addEventListener("submit", function (event) {
      var submitter = event.submitter;
      if (submitter && submitter.hasAttribute("formaction")) return; // Preview changes.
      window.clearTimeout(timer);
      dirty = false;
      var copy = readLocal();
      if (copy) writeLocal(Object.assign(copy, { submitted: true }));
    });

    // A closing tab sends what the timer had not sent yet.
    function flush() {
      if (url && dirty && navigator.sendBeacon) {
        window.clearTimeout(timer);
        dirty = !navigator.sendBeacon(url, formData());
      }
    }
    window.addEventListener("pagehide", flush);
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "hidden") flush();
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
