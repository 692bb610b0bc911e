// Similar questions as the title is typed. Without JavaScript the ask form's "Check for similar
// questions" button does the same with a round trip; here the server-rendered fragment from
// /questions/similar/?title=... replaces the list, at most once per pause in typing.
(function () {
  "use strict";

  var DELAY = 400; // ms after the last keystroke
  var MIN_LENGTH = 4; // characters: a Chinese title is short

  var box = document.querySelector(".similar-check[data-similar-url]");
  if (!box || !window.fetch) return;
  var form = box.closest("form");
  var title = form && form.querySelector("[name=title]");
  var tags = form && form.querySelector("[name=tags]");
  var results = box.querySelector(".similar-results");
  if (!title || !results) return;

  var timer = null;
  var last = null;
  var controller = null;

  function refresh() {
    var text = title.value.trim();
    var query = "title=" + encodeURIComponent(text);
    if (tags && tags.value.trim()) query += "&tags=" + encodeURIComponent(tags.value.trim());
    if (text.length < MIN_LENGTH || query === last) return;
    last = query;
    if (controller) controller.abort();
    controller = window.AbortController ? new AbortController() : null;
    results.setAttribute("aria-busy", "true");
    fetch(box.getAttribute("data-similar-url") + "?" + query, {
      headers: { Accept: "text/html" },
      credentials: "same-origin",
      signal: controller ? controller.signal : undefined,
    })
      .then(function (response) {
        if (!response.ok) throw new Error(String(response.status));
        return response.text();
      })
      .then(function (html) {
        results.innerHTML = html; // rendered and escaped by the server's template
      })
      .catch(function () {
        last = null; // the button still works; try again on the next keystroke
      })
      .finally(function () {
        results.removeAttribute("aria-busy");
      });
  }

  function schedule() {
    clearTimeout(timer);
    timer = setTimeout(refresh, DELAY);
  }

  title.addEventListener("input", schedule);
  if (tags) tags.addEventListener("change", schedule);
})();
