// The post forms (ask, answer, edit) with JavaScript: a Markdown toolbar, a live preview rendered
// by the server's own renderer and sanitiser (POST /questions/preview/, the same code as the
// form's Preview button), drafts kept in this browser until the post is sent, and a warning
// before leaving a page with unsent text. Without this file every form works as it is: the
// Preview button shows the same preview with a round trip.
(function () {
  "use strict";

  var PREVIEW_DELAY = 700; // ms after the last keystroke
  var DRAFT_DELAY = 400;
  var DRAFT_PREFIX = "jokesite:draft:";
  var FIELDS = ["title", "body", "tags", "summary"];

  function storage() {
    try {
      return window.localStorage;
    } catch (error) {
      return null; // storage blocked: no drafts, everything else works
    }
  }

  // --- Toolbar -----------------------------------------------------------------------------

  function replaceSelection(area, before, after, placeholder) {
    var start = area.selectionStart;
    var end = area.selectionEnd;
    var chosen = area.value.slice(start, end) || placeholder;
    area.setRangeText(before + chosen + after, start, end, "end");
    area.setSelectionRange(start + before.length, start + before.length + chosen.length);
  }

  function prefixLines(area, prefix) {
    var value = area.value;
    var start = value.lastIndexOf("\n", area.selectionStart - 1) + 1;
    var end = value.indexOf("\n", area.selectionEnd);
    if (end === -1 || area.selectionEnd === area.selectionStart) {
      end = end === -1 ? value.length : end;
    }
    var lines = value.slice(start, end).split("\n");
    var text = lines
      .map(function (line) {
        return prefix + line;
      })
      .join("\n");
    area.setRangeText(text, start, end, "select");
  }

  var ACTIONS = {
    bold: function (area) {
      replaceSelection(area, "**", "**", "bold");
    },
    italic: function (area) {
      replaceSelection(area, "_", "_", "italic");
    },
    link: function (area) {
      replaceSelection(area, "[", "](https://)", "text");
    },
    code: function (area) {
      var chosen = area.value.slice(area.selectionStart, area.selectionEnd);
      if (chosen.indexOf("\n") === -1) {
        replaceSelection(area, "`", "`", "code");
      } else {
        replaceSelection(area, "\n```\n", "\n```\n", "");
      }
    },
    quote: function (area) {
      prefixLines(area, "> ");
    },
    list: function (area) {
      prefixLines(area, "- ");
    },
  };

  function setUpToolbar(form, body) {
    var toolbar = form.querySelector(".md-toolbar");
    if (!toolbar || !body.setRangeText) return;
    body.parentNode.insertBefore(toolbar, body);
    toolbar.hidden = false;
    toolbar.addEventListener("click", function (event) {
      var button = event.target.closest("button[data-md]");
      if (!button) return;
      ACTIONS[button.getAttribute("data-md")](body);
      body.focus();
      body.dispatchEvent(new Event("input", { bubbles: true }));
    });
  }

  // --- Live preview ------------------------------------------------------------------------

  function setUpPreview(form, body) {
    var url = form.getAttribute("data-preview-url");
    var shown = document.getElementById("preview"); // the server's preview, after the button
    var section = shown || form.querySelector("[data-live-preview]");
    if (!url || !section || !window.fetch) return;
    var target = section.querySelector(".preview__body");
    var token = form.querySelector("[name=csrfmiddlewaretoken]");
    var timer = null;
    var last = shown ? body.value : null;
    var controller = null;
    var pausedUntil = 0;

    function refresh() {
      var text = body.value;
      if (text === last || Date.now() < pausedUntil) return;
      last = text;
      if (!text.trim()) {
        if (!shown) section.hidden = true;
        target.innerHTML = "";
        return;
      }
      if (controller) controller.abort();
      controller = window.AbortController ? new AbortController() : null;
      var data = new FormData();
      data.append("body", text);
      if (token) data.append("csrfmiddlewaretoken", token.value);
      section.setAttribute("aria-busy", "true");
      fetch(url, {
        method: "POST",
        body: data,
        headers: { Accept: "text/html" },
        credentials: "same-origin",
        signal: controller ? controller.signal : undefined,
      })
        .then(function (response) {
          if (response.status === 429) {
            var wait = parseInt(response.headers.get("Retry-After"), 10) || 30;
            pausedUntil = Date.now() + wait * 1000;
          }
          if (!response.ok) throw new Error(String(response.status));
          return response.text();
        })
        .then(function (html) {
          target.innerHTML = html; // rendered and sanitised by the server, as a saved post
          section.hidden = false;
        })
        .catch(function () {
          last = null; // the Preview button still works; try again on the next pause
        })
        .finally(function () {
          section.removeAttribute("aria-busy");
        });
    }

    body.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(refresh, PREVIEW_DELAY);
    });
    return refresh;
  }

  // --- Drafts and the warning before leaving -------------------------------------------------

  function setUpDrafts(form, body, refreshPreview) {
    var store = storage();
    var key = DRAFT_PREFIX + (form.getAttribute("data-draft-key") || "");
    var bound = form.hasAttribute("data-bound"); // the server sent back what was typed
    var fields = FIELDS.map(function (name) {
      return form.querySelector("[name=" + name + "]");
    }).filter(function (field) {
      return field && (field.tagName === "TEXTAREA" || field.type === "text");
    });
    var submitting = false;
    var timer = null;

    function values() {
      var out = {};
      fields.forEach(function (field) {
        out[field.name] = field.value;
      });
      return out;
    }

    function isDirty() {
      if (bound) return body.value.trim() !== "";
      return fields.some(function (field) {
        return field.value !== field.defaultValue;
      });
    }

    function save() {
      if (!store) return;
      try {
        if (isDirty()) store.setItem(key, JSON.stringify(values()));
        else store.removeItem(key);
      } catch (error) {
        // storage full or blocked: the draft is not kept, the form still works
      }
    }

    function forget() {
      if (store) store.removeItem(key);
    }

    var note = form.querySelector("[data-draft-note]");
    if (store && !bound) {
      var saved = null;
      try {
        saved = JSON.parse(store.getItem(key) || "null");
      } catch (error) {
        saved = null;
      }
      var differs =
        saved &&
        fields.some(function (field) {
          return typeof saved[field.name] === "string" && saved[field.name] !== field.value;
        });
      if (differs) {
        fields.forEach(function (field) {
          if (typeof saved[field.name] === "string") field.value = saved[field.name];
        });
        if (note) {
          body.parentNode.parentNode.insertBefore(note, body.parentNode);
          note.hidden = false;
        }
        if (refreshPreview) refreshPreview();
      }
    } else if (bound) {
      save();
    }

    if (note) {
      note.querySelector("[data-draft-discard]").addEventListener("click", function () {
        fields.forEach(function (field) {
          field.value = field.defaultValue;
        });
        forget();
        note.hidden = true;
        body.focus();
        if (refreshPreview) refreshPreview();
      });
    }

    form.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(save, DRAFT_DELAY);
    });

    form.addEventListener("submit", function (event) {
      submitting = true;
      clearTimeout(timer);
      var submitter = event.submitter;
      var step = submitter && (submitter.name === "preview" || submitter.name === "check_similar");
      // Posting: the draft goes. Should the server refuse the post, it sends the form back as
      // typed (data-bound), and that page keeps the draft again.
      if (step) save();
      else forget();
    });

    window.addEventListener("pageshow", function (event) {
      if (event.persisted) submitting = false; // back from the next page
    });

    window.addEventListener("beforeunload", function (event) {
      if (submitting || !isDirty()) return;
      event.preventDefault();
      event.returnValue = ""; // older browsers need a value to ask
    });
  }

  Array.prototype.forEach.call(document.querySelectorAll("form[data-editor]"), function (form) {
    var body = form.querySelector("textarea[name=body]");
    if (!body) return;
    setUpToolbar(form, body);
    var refresh = setUpPreview(form, body);
    setUpDrafts(form, body, refresh);
  });
})();
