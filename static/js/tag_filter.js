// Live filter for the tag list: hides the tags on this page whose name does not contain the
// typed text. The form still submits ?q= to the server, which filters every tag.
(function () {
  "use strict";

  var form = document.querySelector("form[data-live-filter]");
  if (!form) return;
  var input = form.querySelector("input[name=q]");
  var items = document.querySelectorAll(form.getAttribute("data-live-filter"));
  var empty = document.querySelector("[data-live-filter-empty]");
  if (!input || !items.length) return;

  input.addEventListener("input", function () {
    var text = input.value.trim().toLowerCase();
    var shown = 0;
    items.forEach(function (item) {
      var match = (item.getAttribute("data-name") || "").indexOf(text) !== -1;
      item.hidden = !match;
      if (match) shown += 1;
    });
    if (empty) empty.hidden = shown > 0;
  });
})();
