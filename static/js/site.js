// Small enhancements for every page; each control works without this file.
(function () {
  "use strict";

  // The theme toggle: when the member made no choice, the page follows the device, so the
  // button should offer the opposite of what the device shows now (without JavaScript it
  // offers dark, which most devices are not).
  var toggle = document.querySelector(".theme-toggle button[data-auto='1']");
  if (toggle && window.matchMedia && window.matchMedia("(prefers-color-scheme: dark)").matches) {
    var label = toggle.getAttribute("data-label-light");
    toggle.value = "light";
    toggle.title = label;
    toggle.querySelector("[aria-hidden]").textContent = "☀";
    toggle.querySelector(".visually-hidden").textContent = label;
  }

  // A post's Share panel: the address is selectable as it is; with the Clipboard API, a button
  // copies it and says so.
  if (navigator.clipboard) {
    Array.prototype.forEach.call(document.querySelectorAll("button[data-copy]"), function (button) {
      var input = document.getElementById(button.getAttribute("data-copy"));
      var status = button.parentNode.querySelector(".share__status");
      if (!input) return;
      button.hidden = false;
      button.addEventListener("click", function () {
        navigator.clipboard.writeText(input.value).then(
          function () {
            if (status) status.textContent = button.getAttribute("data-copied");
          },
          function () {
            input.select(); // copying refused: leave the address selected to copy by hand
          }
        );
      });
    });
  }
  Array.prototype.forEach.call(document.querySelectorAll("details.share"), function (share) {
    share.addEventListener("toggle", function () {
      var input = share.querySelector("input");
      if (share.open && input) input.select();
    });
  });

  // The account menu (<details>) closes on Escape and on a click elsewhere, like a menu.
  var menu = document.querySelector(".account-menu");
  if (!menu) return;
  document.addEventListener("click", function (event) {
    if (menu.open && !menu.contains(event.target)) menu.open = false;
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && menu.open) {
      menu.open = false;
      menu.querySelector("summary").focus();
    }
  });
})();
