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

// Show only the fields of what the link shows: a contest, or a leaderboard's options.
(function () {
  var shows = document.getElementById("id_shows");
  if (!shows) { return; }
  var contestOnly = ["id_contest"];
  var boardOnly = ["id_team", "id_metric_key", "id_period", "id_rank_by", "id_top_n"];
  function toggle() {
    var contest = shows.value === "contest";
    contestOnly.concat(boardOnly).forEach(function (id) {
      var field = document.getElementById(id);
      if (field && field.parentElement) {
        var hide = contestOnly.indexOf(id) >= 0 ? !contest : contest;
        field.parentElement.style.display = hide ? "none" : "";
      }
    });
  }
  shows.addEventListener("change", toggle);
  toggle();
})();
