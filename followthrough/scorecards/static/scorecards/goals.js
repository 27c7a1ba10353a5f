// The goal form: show the custom-range end and the own-ramp fields only when they apply.
// Without JavaScript every field stays visible and the server checks them all.
(function () {
  "use strict";

  function follow(selectId, fieldId, value) {
    const select = document.getElementById(selectId);
    const input = document.getElementById(fieldId);
    if (!select || !input) return;
    const field = input.closest(".field");
    const update = function () { field.hidden = select.value !== value && !field.classList.contains("has-error"); };
    select.addEventListener("change", update);
    update();
  }

  document.addEventListener("DOMContentLoaded", function () {
    follow("id_period_kind", "id_until", "custom");
    follow("id_ramp", "id_ramp_shares", "custom");
  });
})();
