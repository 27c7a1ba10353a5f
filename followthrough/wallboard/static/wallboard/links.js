// Copy a wallboard address to the clipboard (the page works without it: the field is selectable).
document.querySelectorAll(".wb-copy").forEach(function (button) {
  button.addEventListener("click", function () {
    var field = button.parentElement.querySelector(".wb-url");
    if (navigator.clipboard) {
      navigator.clipboard.writeText(button.dataset.url);
    } else if (field) {
      field.select();
      document.execCommand("copy");
    }
    button.textContent = "✓";
  });
});
