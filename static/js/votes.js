// Enhances the vote forms: the plain POST works without JavaScript; with it, the vote is sent
// with `Accept: application/json` and the score updates in place, without a reload.
(function () {
  "use strict";

  function setState(form, vote, score) {
    var scoreEl = form.querySelector("[data-score]");
    if (scoreEl) {
      scoreEl.textContent = score;
      scoreEl.setAttribute("data-score", score);
    }
    var up = form.querySelector(".vote--up[name=value]");
    var down = form.querySelector(".vote--down[name=value]");
    if (up) {
      up.classList.toggle("is-on", vote === 1);
      up.setAttribute("aria-pressed", vote === 1 ? "true" : "false");
      up.value = vote === 1 ? "0" : "1";
    }
    if (down) {
      down.classList.toggle("is-on", vote === -1);
      down.setAttribute("aria-pressed", vote === -1 ? "true" : "false");
      down.value = vote === -1 ? "0" : "-1";
    }
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.classList || !form.classList.contains("votes__form")) return;
    var button = event.submitter;
    if (!button || button.name !== "value") return;
    event.preventDefault();
    var body = new FormData(form);
    body.set("value", button.value);
    form.setAttribute("aria-busy", "true");
    fetch(form.action, {
      method: "POST",
      body: body,
      headers: { Accept: "application/json" },
      credentials: "same-origin",
    })
      .then(function (response) {
        if (!response.ok) throw new Error(String(response.status));
        return response.json();
      })
      .then(function (data) {
        setState(form, data.vote, data.score);
      })
      .catch(function () {
        // Fall back to the plain POST, which shows the server's own page (403, login...).
        var hidden = document.createElement("input");
        hidden.type = "hidden";
        hidden.name = "value";
        hidden.value = button.value;
        form.appendChild(hidden);
        form.submit();
      })
      .finally(function () {
        form.removeAttribute("aria-busy");
      });
  });
})();
