// The Markdown editor of the post and page forms (desk/editor.py renders the textarea).
// The <textarea> stays the one source of truth: every change goes through it as a native edit
// (so Ctrl+Z undoes it) and every reaction listens to its `input` events, so autosave.js and
// anything else that sets its value and dispatches `input` works beside this script.
// The preview is HTML rendered and sanitised by our server, the same renderer readers' pages use.
(function () {
  "use strict";

  var IMAGE_TYPES = ["image/jpeg", "image/png", "image/gif", "image/webp"];
  var PREVIEW_DELAY_MS = 300;
  var SEARCH_DELAY_MS = 250;
  var isMac = /Mac|iPhone|iPad/.test(navigator.platform || navigator.userAgent);
  var MOD = isMac ? "Cmd" : "Ctrl";
  var MOD_KEY = isMac ? "Meta" : "Control";
  var counter = 0;

  function element(tag, attributes, children) {
    var node = document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (name) {
      var value = attributes[name];
      if (value === null || value === undefined || value === false) return;
      if (name === "text") node.textContent = value;
      else if (name === "className") node.className = value;
      else node.setAttribute(name, value === true ? "" : value);
    });
    (children || []).forEach(function (child) {
      node.append(child);
    });
    return node;
  }

  function uid(name) {
    counter += 1;
    return "desk-" + name + "-" + counter;
  }

  // The same form desk.editor.image_markdown writes: alt on one line, brackets escaped.
  function imageMarkdown(url, alt) {
    var oneLine = alt.replace(/\s+/g, " ").trim().replace(/([\\[\]])/g, "\\$1");
    return "![" + oneLine + "](" + url + ")";
  }

  function sizeText(bytes) {
    if (bytes < 1024 * 1024) return Math.max(1, Math.round(bytes / 1024)) + " KB";
    return (bytes / (1024 * 1024)).toFixed(1) + " MB";
  }

  function isImageFile(file) {
    return IMAGE_TYPES.indexOf(file.type) !== -1;
  }

  function setUp(container) {
    var textarea = container.querySelector("textarea");
    var form = textarea.form;
    var tokenInput = form && form.querySelector("input[name=csrfmiddlewaretoken]");
    if (!tokenInput) return; // Nothing could be sent with the author's authority: stay plain.
    var csrfToken = tokenInput.value;
    var maxBytes = Number(container.dataset.maxUploadBytes);

    container.classList.add("is-enhanced");
    if (!textarea.id) textarea.id = uid("text");

    // ---- Layout: toolbar, writing pane, preview pane, status line -----------------------
    var status = element("p", { className: "desk-editor__status", role: "status" });
    var preview = element("div", { className: "desk-preview", id: uid("preview") });
    var previewPane = element("section", {
      className: "desk-editor__preview",
      "aria-label": "Preview",
      tabindex: "0", // It scrolls: the keyboard must reach it.
    }, [preview]);
    var writePane = element("div", { className: "desk-editor__write" });
    textarea.parentNode.insertBefore(writePane, textarea);
    writePane.append(textarea);

    var fileInput = element("input", {
      type: "file",
      accept: IMAGE_TYPES.join(","),
      multiple: true,
      hidden: true,
      className: "desk-editor__file",
      "aria-label": "Image files to upload",
    });

    var commands = [
      { name: "Bold", keys: "B", run: function () { wrapInline("**", "bold text"); } },
      { name: "Italic", keys: "I", run: function () { wrapInline("*", "italic text"); } },
      { name: "Heading", keys: "H", run: cycleHeading },
      { name: "Link", keys: "K", run: insertLink },
      { name: "Code", keys: "E", run: insertCode },
      { name: "Quote", run: function () { toggleLinePrefix("> "); } },
      { name: "List", run: function () { toggleLinePrefix("- "); } },
      { name: "Image…", label: "Upload an image", run: function () { fileInput.click(); } },
      { name: "Library…", label: "Insert an image from the library", run: openLibrary },
    ];
    var toolbar = element("div", {
      className: "desk-editor__toolbar",
      role: "toolbar",
      "aria-label": "Formatting",
      "aria-controls": textarea.id,
    });
    commands.forEach(function (command, index) {
      var shortcut = command.keys ? MOD + "+" + command.keys : null;
      var button = element("button", {
        type: "button", // Inside the admin's form: never a submit button.
        className: "desk-editor__tool",
        text: command.name,
        "aria-label": command.label || null,
        title: (command.label || command.name) + (shortcut ? " (" + shortcut + ")" : ""),
        "aria-keyshortcuts": command.keys ? MOD_KEY + "+" + command.keys : null,
        tabindex: index === 0 ? "0" : "-1",
      });
      button.addEventListener("click", function () {
        command.run();
      });
      toolbar.append(button);
    });
    // One tab stop for the whole toolbar; arrows move along it (the ARIA toolbar pattern).
    toolbar.addEventListener("keydown", function (event) {
      var buttons = Array.prototype.slice.call(toolbar.querySelectorAll("button"));
      var index = buttons.indexOf(document.activeElement);
      var next = { ArrowRight: index + 1, ArrowLeft: index - 1, Home: 0, End: buttons.length - 1 }[
        event.key
      ];
      if (index === -1 || next === undefined) return;
      event.preventDefault();
      next = (next + buttons.length) % buttons.length;
      buttons[index].tabIndex = -1;
      buttons[next].tabIndex = 0;
      buttons[next].focus();
    });

    var writeMode = element("button", { type: "button", text: "Write", "aria-pressed": "true" });
    var previewMode = element("button", { type: "button", text: "Preview", "aria-pressed": "false" });
    var modes = element("div", {
      className: "desk-editor__modes",
      role: "group",
      "aria-label": "Show",
    }, [writeMode, previewMode]);
    function showPreview(on) {
      container.classList.toggle("is-previewing", on);
      writeMode.setAttribute("aria-pressed", String(!on));
      previewMode.setAttribute("aria-pressed", String(on));
      if (on) refreshPreview();
    }
    writeMode.addEventListener("click", function () {
      showPreview(false);
      textarea.focus();
    });
    previewMode.addEventListener("click", function () {
      showPreview(true);
    });

    var bar = element("div", { className: "desk-editor__bar" }, [toolbar, modes]);
    var panes = element("div", { className: "desk-editor__panes" }, [writePane, previewPane]);
    container.prepend(bar);
    container.append(panes, status, fileInput);

    // Narrow is where editor.css shows the Write/Preview buttons (a container query).
    function isNarrow() {
      return window.getComputedStyle(modes).display !== "none";
    }

    // What the status line says stays until replaced; news of a finished upload fades.
    var fading = null;
    function say(message, about) {
      window.clearTimeout(fading);
      status.textContent = message;
      status.dataset.about = about || "";
      if (about === "done") {
        fading = window.setTimeout(function () { say(""); }, 10000);
      }
    }

    // ---- Editing: every change is a native edit of the textarea ---------------------------
    function replaceRange(start, end, text, selectFrom, selectTo) {
      if (container.classList.contains("is-previewing")) showPreview(false); // Show the change.
      textarea.focus();
      textarea.setSelectionRange(start, end);
      var done = false;
      try {
        done = document.execCommand("insertText", false, text);
      } catch (error) {
        done = false;
      }
      if (!done) {
        textarea.setRangeText(text, start, end, "end");
        textarea.dispatchEvent(new Event("input", { bubbles: true }));
      }
      var from = selectFrom === undefined ? text.length : selectFrom;
      var to = selectTo === undefined ? from : selectTo;
      textarea.setSelectionRange(start + from, start + to);
    }

    function markerRun(value, index, step, character) {
      var run = 0;
      while (value.charAt(index + run * step) === character) run += 1;
      return run;
    }

    // Wraps the selection in a marker, or takes the marker away when it is already there.
    function wrapInline(marker, placeholder) {
      var value = textarea.value;
      var start = textarea.selectionStart;
      var end = textarea.selectionEnd;
      // A double-click may take the space after a word: keep spaces outside the marker.
      while (start < end && /\s/.test(value.charAt(start))) start += 1;
      while (end > start && /\s/.test(value.charAt(end - 1))) end -= 1;
      var selected = value.slice(start, end);
      var character = marker.charAt(0);
      var before = markerRun(value, start - 1, -1, character);
      var after = markerRun(value, end, 1, character);
      var fits = function (run) {
        return run === marker.length || (character === "*" && run === 3);
      };
      if (selected && fits(before) && fits(after)) {
        replaceRange(start - marker.length, end + marker.length, selected, 0, selected.length);
        return;
      }
      var wrapped = selected.length > 2 * marker.length &&
        selected.slice(0, marker.length) === marker && selected.slice(-marker.length) === marker;
      if (wrapped) {
        var inner = selected.slice(marker.length, -marker.length);
        replaceRange(start, end, inner, 0, inner.length);
        return;
      }
      var text = selected || placeholder;
      replaceRange(start, end, marker + text + marker, marker.length, marker.length + text.length);
    }

    function insertLink() {
      var start = textarea.selectionStart;
      var end = textarea.selectionEnd;
      var selected = textarea.value.slice(start, end);
      if (/^(https?:\/\/|mailto:)\S+$/.test(selected)) {
        replaceRange(start, end, "[link text](" + selected + ")", 1, 10);
      } else if (selected) {
        var text = "[" + selected + "](url)";
        replaceRange(start, end, text, text.length - 4, text.length - 1);
      } else {
        replaceRange(start, end, "[link text](url)", 1, 10);
      }
    }

    function insertCode() {
      var start = textarea.selectionStart;
      var end = textarea.selectionEnd;
      var selected = textarea.value.slice(start, end);
      if (selected.indexOf("\n") !== -1) {
        var lineStart = textarea.value.lastIndexOf("\n", start - 1) + 1;
        var block = (start > lineStart ? "\n" : "") + "```\n" + selected.replace(/\n$/, "") + "\n```\n";
        replaceRange(start, end, block, block.length);
      } else if (selected.indexOf("`") !== -1) {
        var text = "`` " + selected + " ``";
        replaceRange(start, end, text, 3, 3 + selected.length);
      } else {
        wrapInline("`", "code");
      }
    }

    // The whole lines the selection touches, each changed by `change`, selected again after.
    function changeLines(change) {
      var value = textarea.value;
      var start = value.lastIndexOf("\n", textarea.selectionStart - 1) + 1;
      var selectionEnd = textarea.selectionEnd;
      // Lines selected by dragging to the start of the next one do not take that one too.
      if (selectionEnd > textarea.selectionStart && value.charAt(selectionEnd - 1) === "\n") {
        selectionEnd -= 1;
      }
      var endBreak = value.indexOf("\n", selectionEnd);
      var end = endBreak === -1 ? value.length : endBreak;
      var lines = value.slice(start, end).split("\n");
      var changed = change(lines).join("\n");
      replaceRange(start, end, changed, changed.length);
    }

    function toggleLinePrefix(prefix) {
      changeLines(function (lines) {
        var all = lines.every(function (line) { return line.indexOf(prefix) === 0 || !line.trim(); });
        return lines.map(function (line) {
          if (!line.trim()) return line;
          return all ? line.slice(prefix.length) : prefix + line;
        });
      });
    }

    var HEADING = /^(#{1,6})\s+/;
    function setHeading(level) {
      changeLines(function (lines) {
        return lines.map(function (line) {
          if (!line.trim() && lines.length > 1) return line;
          var match = line.match(HEADING);
          var text = line.replace(HEADING, "");
          if (match && match[1].length === level) return text; // The same level again: off.
          return level ? "#".repeat(level) + " " + text : text;
        });
      });
    }

    // The post's title is its page's only top heading, so sections start at ##.
    function cycleHeading() {
      var value = textarea.value;
      var lineStart = value.lastIndexOf("\n", textarea.selectionStart - 1) + 1;
      var match = value.slice(lineStart).match(HEADING);
      var current = match ? match[1].length : 0;
      var next = { 0: 2, 2: 3, 3: 4 }[current];
      setHeading(next === undefined ? current : next);
    }

    textarea.addEventListener("keydown", function (event) {
      if (!(event.ctrlKey || event.metaKey) || event.shiftKey) return;
      var key = event.key.toLowerCase();
      if (event.altKey) {
        var level = { Digit1: 1, Digit2: 2, Digit3: 3 }[event.code];
        if (!level) return;
        event.preventDefault();
        setHeading(level);
        return;
      }
      var action = {
        b: function () { wrapInline("**", "bold text"); },
        i: function () { wrapInline("*", "italic text"); },
        k: insertLink,
        h: cycleHeading,
        e: insertCode,
        "`": insertCode,
      }[key];
      if (!action) return;
      event.preventDefault();
      action();
    });

    // ---- Preview: rendered by the server as the author pauses --------------------------------
    var previewTimer = null;
    var inFlight = false;
    var renderedText = null;
    var renderAgain = false;

    function refreshPreview() {
      window.clearTimeout(previewTimer);
      if (inFlight) {
        renderAgain = true; // One request at a time: the latest text goes when this one ends.
        return;
      }
      var text = textarea.value;
      if (text === renderedText) return;
      inFlight = true;
      previewPane.setAttribute("aria-busy", "true");
      var body = new FormData();
      body.append("text", text);
      fetch(container.dataset.renderUrl, {
        method: "POST",
        body: body,
        credentials: "same-origin",
        headers: { "X-CSRFToken": csrfToken, "X-Requested-With": "XMLHttpRequest" },
      })
        .then(function (response) {
          return response.text().then(function (answer) {
            if (response.redirected) {
              throw new Error("Your session has ended: log in again in another tab to see the preview.");
            }
            if (!response.ok) {
              throw new Error(response.status === 413 ? answer : "The preview could not be updated (the server said " + response.status + ").");
            }
            // Sanitised by our server with the same rules as a published post.
            preview.innerHTML = answer;
            renderedText = text;
            if (status.dataset.about === "preview") say("");
          });
        })
        .catch(function (error) {
          var message = error instanceof TypeError
            ? "The preview could not be updated: the server cannot be reached."
            : error.message;
          say(message, "preview");
        })
        .finally(function () {
          inFlight = false;
          previewPane.removeAttribute("aria-busy");
          if (renderAgain) {
            renderAgain = false;
            refreshPreview();
          }
        });
    }

    textarea.addEventListener("input", function () {
      window.clearTimeout(previewTimer);
      previewTimer = window.setTimeout(refreshPreview, PREVIEW_DELAY_MS);
    });
    refreshPreview();

    // The preview follows the writing as the author scrolls it, where they sit side by side.
    textarea.addEventListener("scroll", function () {
      if (isNarrow()) return;
      var room = textarea.scrollHeight - textarea.clientHeight;
      var ratio = room > 0 ? textarea.scrollTop / room : 0;
      previewPane.scrollTop = ratio * (previewPane.scrollHeight - previewPane.clientHeight);
    });

    // ---- Images: dropped, pasted or chosen; described; uploaded; inserted at the cursor -----
    function insertImageMarkdown(markdown, start, end) {
      var value = textarea.value;
      start = Math.min(start, value.length);
      end = Math.min(Math.max(end, start), value.length);
      var before = value.slice(0, start);
      var after = value.slice(end);
      var lead = !before ? "" : /\n\n$/.test(before) ? "" : /\n$/.test(before) ? "\n" : "\n\n";
      var trail = !after ? "\n" : /^\n\n/.test(after) ? "" : /^\n/.test(after) ? "\n" : "\n\n";
      replaceRange(start, end, lead + markdown + trail, lead.length + markdown.length + trail.length);
    }

    var queue = Promise.resolve();
    function takeImages(files) {
      files = Array.prototype.slice.call(files || []);
      if (!files.length) return false;
      var refused = files.filter(function (file) { return !/^image\//.test(file.type); });
      if (refused.length) {
        say("Only images can be put in a post here: “" + refused[0].name +
          "” is not one (JPEG, PNG, GIF or WebP).");
      }
      var start = textarea.selectionStart;
      var end = textarea.selectionEnd;
      files.filter(function (file) { return /^image\//.test(file.type); }).forEach(function (file) {
        queue = queue.then(function () {
          return describeImage({ file: file }).then(function (markdown) {
            if (!markdown) return;
            insertImageMarkdown(markdown, start, end);
            start = end = textarea.selectionStart;
          });
        });
      });
      return true;
    }

    function hasFiles(transfer) {
      return transfer && Array.prototype.indexOf.call(transfer.types || [], "Files") !== -1;
    }

    textarea.addEventListener("paste", function (event) {
      var data = event.clipboardData;
      if (data && data.files && data.files.length) {
        event.preventDefault();
        takeImages(data.files);
        return;
      }
      // A web address pasted over selected words makes them a link.
      var pasted = data ? data.getData("text/plain").trim() : "";
      var start = textarea.selectionStart;
      var end = textarea.selectionEnd;
      var selected = textarea.value.slice(start, end);
      var isAddress = /^https?:\/\/\S+$/;
      if (selected && !/\n/.test(selected) && !isAddress.test(selected) && isAddress.test(pasted)) {
        event.preventDefault();
        replaceRange(start, end, "[" + selected + "](" + pasted + ")");
      }
    });
    // Over the preview too: a file dropped there must not take the browser away from the form.
    container.addEventListener("dragover", function (event) {
      if (!hasFiles(event.dataTransfer)) return;
      event.preventDefault();
      event.dataTransfer.dropEffect = "copy";
      container.classList.add("is-dropping");
    });
    container.addEventListener("dragleave", function () {
      container.classList.remove("is-dropping");
    });
    container.addEventListener("drop", function (event) {
      container.classList.remove("is-dropping");
      if (!hasFiles(event.dataTransfer)) return;
      event.preventDefault(); // Or the browser leaves the form to show the file.
      textarea.focus();
      takeImages(event.dataTransfer.files);
    });
    fileInput.addEventListener("change", function () {
      takeImages(fileInput.files);
      fileInput.value = "";
    });

    // The alt text dialog: asked for every image, uploaded or picked from the library.
    var altDialog = buildAltDialog();
    function buildAltDialog() {
      var titleId = uid("alt-title");
      var altId = uid("alt");
      var hintId = uid("alt-hint");
      var nameId = uid("image-title");
      var heading = element("h2", { id: titleId, text: "Describe this image" });
      var picture = element("img", { className: "desk-dialog__image", alt: "" });
      var about = element("p", { className: "desk-dialog__about" });
      var alt = element("textarea", {
        id: altId, rows: "3", maxlength: "300", required: true, "aria-describedby": hintId,
      });
      var decorative = element("input", { type: "checkbox" });
      var titleRow = element("p", { className: "desk-dialog__row" }, [
        element("label", { for: nameId, text: "Title in the image library (optional)" }),
        element("input", { id: nameId, type: "text", maxlength: "200" }),
      ]);
      var progress = element("progress", { max: "100", value: "0", hidden: true, "aria-label": "Upload" });
      var error = element("div", { className: "desk-dialog__error", role: "alert" });
      var submit = element("button", { type: "submit", className: "default", text: "Upload and insert" });
      var cancel = element("button", { type: "button", className: "desk-dialog__cancel", text: "Cancel" });
      var formNode = element("form", { method: "dialog", className: "desk-dialog__form", novalidate: true }, [
        heading,
        element("div", { className: "desk-dialog__figure" }, [picture, about]),
        element("p", { className: "desk-dialog__row" }, [
          element("label", { for: altId, text: "Alt text" }),
          alt,
          element("span", {
            id: hintId,
            className: "desk-dialog__hint",
            text: "What the image shows, for readers who cannot see it: a sentence or two, " +
              "without “image of”.",
          }),
        ]),
        element("p", { className: "desk-dialog__check" }, [
          element("label", {}, [
            decorative,
            " Decorative: it adds nothing a reader would miss, so it needs no description",
          ]),
        ]),
        titleRow,
        progress,
        error,
        element("div", { className: "desk-dialog__buttons" }, [submit, cancel]),
      ]);
      var dialog = element("dialog", {
        className: "desk-dialog desk-dialog--alt",
        "aria-labelledby": titleId,
      }, [formNode]);
      document.body.append(dialog); // Outside the admin's form: forms do not nest.
      alt.addEventListener("keydown", function (event) {
        if (event.key === "Enter" && !event.shiftKey) {
          event.preventDefault(); // Alt text is one line: Enter inserts the image.
          formNode.requestSubmit();
        }
      });
      decorative.addEventListener("change", function () {
        alt.disabled = decorative.checked;
        alt.required = !decorative.checked;
      });
      return {
        dialog: dialog, form: formNode, heading: heading, picture: picture, about: about,
        alt: alt, decorative: decorative, titleRow: titleRow, name: titleRow.querySelector("input"),
        progress: progress, error: error, submit: submit, cancel: cancel,
      };
    }

    // Resolves with the Markdown to insert, or null when the author cancels.
    function describeImage(choice) {
      var parts = altDialog;
      return new Promise(function (resolve) {
        var request = null;
        parts.error.textContent = "";
        parts.progress.hidden = true;
        parts.progress.value = 0;
        parts.decorative.checked = false;
        parts.alt.disabled = false;
        parts.alt.required = true;
        parts.submit.disabled = false;
        parts.name.value = "";
        parts.titleRow.hidden = !choice.file;
        parts.picture.removeAttribute("src");
        if (choice.file) {
          parts.heading.textContent = "Describe this image";
          parts.submit.textContent = "Upload and insert";
          parts.alt.value = "";
          parts.about.textContent = (choice.file.name || "Pasted image") + ", " + sizeText(choice.file.size);
          // A data: address, as the Content-Security-Policy allows images from no blob: URL.
          var reader = new FileReader();
          reader.onload = function () { parts.picture.src = reader.result; };
          if (choice.file.size <= maxBytes) reader.readAsDataURL(choice.file);
          if (choice.file.size > maxBytes) {
            parts.error.textContent = "This file is " + sizeText(choice.file.size) +
              "; the largest image Quire accepts is " + container.dataset.maxUploadSize + ".";
            parts.submit.disabled = true;
          }
        } else {
          parts.heading.textContent = "Describe this image where it appears";
          parts.submit.textContent = "Insert";
          parts.alt.value = choice.image.alt;
          parts.decorative.checked = !choice.image.alt;
          parts.alt.disabled = !choice.image.alt;
          parts.alt.required = !!choice.image.alt;
          parts.about.textContent = choice.image.title + " (" + choice.image.width + "×" + choice.image.height + ")";
          parts.picture.src = choice.image.thumbnail;
        }

        function finish(markdown) {
          parts.form.removeEventListener("submit", onSubmit);
          parts.cancel.removeEventListener("click", onCancel);
          parts.dialog.removeEventListener("cancel", onCancel);
          if (parts.dialog.open) parts.dialog.close();
          textarea.focus();
          resolve(markdown);
        }
        function onCancel(event) {
          if (event) event.preventDefault();
          if (request) request.abort();
          finish(null);
        }
        function onSubmit(event) {
          event.preventDefault();
          var description = parts.alt.value.replace(/\s+/g, " ").trim();
          var isDecorative = parts.decorative.checked;
          if (!isDecorative && !description) {
            parts.error.textContent = "Describe the image for readers who cannot see it, or mark it as decorative.";
            parts.alt.focus();
            return;
          }
          if (!choice.file) {
            finish(imageMarkdown(choice.image.url, isDecorative ? "" : description));
            return;
          }
          parts.error.textContent = "";
          parts.submit.disabled = true;
          parts.progress.hidden = false;
          say("Uploading " + (choice.file.name || "the image") + "…");
          request = upload(choice.file, description, isDecorative, parts.name.value, function (percent) {
            parts.progress.value = percent;
          });
          request.done.then(function (image) {
            say("Inserted the image " + (image.alt ? "“" + image.alt + "”" : "(decorative)") + ".", "done");
            finish(image.markdown);
          }, function (messages) {
            if (messages === null) return; // Cancelled by the author.
            parts.progress.hidden = true;
            parts.submit.disabled = false;
            parts.error.textContent = messages.join(" ");
            say("The image was not uploaded.");
          });
        }
        parts.form.addEventListener("submit", onSubmit);
        parts.cancel.addEventListener("click", onCancel);
        parts.dialog.addEventListener("cancel", onCancel);
        parts.dialog.showModal();
        (parts.alt.disabled ? parts.submit : parts.alt).focus();
      });
    }

    // XMLHttpRequest, not fetch: it reports the upload's progress.
    function upload(file, alt, decorative, title, onProgress) {
      var xhr = new XMLHttpRequest();
      var done = new Promise(function (resolve, reject) {
        var body = new FormData();
        body.append("image", file, file.name || "image");
        body.append("alt_text", alt);
        if (decorative) body.append("decorative", "on");
        body.append("title", title);
        xhr.open("POST", container.dataset.uploadUrl);
        xhr.setRequestHeader("X-CSRFToken", csrfToken);
        xhr.setRequestHeader("X-Requested-With", "XMLHttpRequest");
        xhr.responseType = "json";
        xhr.upload.addEventListener("progress", function (event) {
          if (event.lengthComputable) onProgress(Math.round((100 * event.loaded) / event.total));
        });
        xhr.addEventListener("load", function () {
          var answer = xhr.response;
          if (xhr.status === 201 && answer && answer.markdown) resolve(answer);
          else if (answer && answer.errors) reject(answer.errors);
          else if (xhr.status === 200) reject(["Your session has ended: log in again in another tab, then upload the image again."]);
          else reject(["The image could not be uploaded (the server said " + xhr.status + ")."]);
        });
        xhr.addEventListener("error", function () {
          reject(["The image could not be uploaded: the server cannot be reached."]);
        });
        xhr.addEventListener("abort", function () {
          reject(null);
        });
        xhr.send(body);
      });
      return { done: done, abort: function () { xhr.abort(); } };
    }

    // ---- The library picker ------------------------------------------------------------------
    var library = null;
    function buildLibrary() {
      var titleId = uid("library-title");
      var searchId = uid("library-search");
      var search = element("input", { type: "search", id: searchId, autocomplete: "off" });
      var summary = element("p", { className: "desk-library__summary", role: "status" });
      var grid = element("ul", { className: "desk-library__grid" });
      var newer = element("button", { type: "button", text: "← Newer" });
      var older = element("button", { type: "button", text: "Older →" });
      var close = element("button", { type: "button", className: "desk-dialog__cancel", text: "Close" });
      var dialog = element("dialog", {
        className: "desk-dialog desk-dialog--library",
        "aria-labelledby": titleId,
      }, [
        element("h2", { id: titleId, text: "Insert an image from the library" }),
        element("p", { className: "desk-dialog__row desk-library__search" }, [
          element("label", { for: searchId, text: "Search by title or alt text" }),
          search,
        ]),
        summary,
        grid,
        element("nav", { className: "desk-library__pages", "aria-label": "Pages of the library" }, [newer, older]),
        element("div", { className: "desk-dialog__buttons" }, [close]),
      ]);
      document.body.append(dialog);
      var state = { page: 1, timer: null };

      function load(page) {
        state.page = page;
        var url = new URL(container.dataset.imagesUrl, window.location.href);
        url.searchParams.set("page", String(page));
        if (search.value.trim()) url.searchParams.set("q", search.value.trim());
        dialog.setAttribute("aria-busy", "true");
        return fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
          .then(function (response) {
            if (response.redirected) throw new Error("Your session has ended: log in again in another tab.");
            return response.json().then(function (answer) {
              if (!response.ok) throw new Error((answer.errors || ["The library could not be read."]).join(" "));
              show(answer);
            });
          })
          .catch(function (error) {
            summary.textContent = error instanceof SyntaxError || error instanceof TypeError
              ? "The library could not be read: try again in a moment."
              : error.message;
          })
          .finally(function () {
            dialog.removeAttribute("aria-busy");
          });
      }

      function show(answer) {
        grid.replaceChildren();
        answer.images.forEach(function (image) {
          var pick = element("button", { type: "button", className: "desk-library__pick" }, [
            element("img", { src: image.thumbnail, alt: "", loading: "lazy", width: "160", height: String(Math.round((160 * image.height) / Math.max(1, image.width))) }),
            element("span", { className: "desk-library__title", text: image.title }),
            element("span", { className: "desk-library__alt", text: image.alt || "Decorative (no alt text)" }),
          ]);
          pick.addEventListener("click", function () {
            var start = textarea.selectionStart;
            var end = textarea.selectionEnd;
            dialog.close();
            describeImage({ image: image }).then(function (markdown) {
              if (markdown) insertImageMarkdown(markdown, start, end);
            });
          });
          grid.append(element("li", {}, [pick]));
        });
        if (!answer.count) {
          summary.textContent = answer.query
            ? "No image in the library matches “" + answer.query + "”."
            : "The library is empty: drop, paste or upload an image into the post to add one.";
        } else {
          summary.textContent = answer.count + (answer.count === 1 ? " image" : " images") +
            (answer.query ? " matching “" + answer.query + "”" : "") +
            (answer.pages > 1 ? ", page " + answer.page + " of " + answer.pages : "") + ".";
        }
        newer.hidden = !answer.has_previous;
        older.hidden = !answer.has_next;
      }

      search.addEventListener("input", function () {
        window.clearTimeout(state.timer);
        state.timer = window.setTimeout(function () { load(1); }, SEARCH_DELAY_MS);
      });
      search.addEventListener("keydown", function (event) {
        if (event.key === "Enter") {
          event.preventDefault();
          window.clearTimeout(state.timer);
          load(1);
        }
      });
      newer.addEventListener("click", function () { load(state.page - 1); });
      older.addEventListener("click", function () { load(state.page + 1); });
      close.addEventListener("click", function () { dialog.close(); });
      dialog.addEventListener("close", function () {
        if (!altDialog.dialog.open) textarea.focus();
      });
      return { dialog: dialog, search: search, load: load };
    }

    function openLibrary() {
      library = library || buildLibrary();
      library.dialog.showModal();
      library.search.focus();
      library.load(1);
    }

    // The browser cannot point at an empty required body hidden behind the preview.
    textarea.addEventListener("invalid", function () {
      showPreview(false);
    });
    new ResizeObserver(function () {
      if (!isNarrow() && container.classList.contains("is-previewing")) showPreview(false);
    }).observe(container);
  }

  function start() {
    document.querySelectorAll(".desk-editor").forEach(setUp);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
