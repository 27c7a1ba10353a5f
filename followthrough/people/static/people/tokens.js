// Copy the new token to the clipboard (the page works without it: the field is selectable).
document.querySelectorAll(".token-copy-button").forEach(function (button) {
  button.addEventListener("click", function () {
    var field = document.getElementById(button.dataset.copy);
    if (navigator.clipboard) {
      navigator.clipboard.writeText(field.value);
    } else {
      field.select();
      document.execCommand("copy");
    }
    button.textContent = "✓";
  });
});
