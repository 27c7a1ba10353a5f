// The TV view: polls the board's JSON, redraws it and celebrates any figure that rose.
// Names are set as text, never as HTML.
(function () {
  "use strict";
  var main = document.getElementById("wall");
  var words = JSON.parse(document.getElementById("wb-words").textContent);
  var rowsEl = document.getElementById("wb-rows");
  var banner = document.getElementById("wb-banner");
  var every = parseInt(main.dataset.poll, 10) || 1000;
  var last = null;
  var figures = {};
  var bannerTimer = null;

  rowsEl.querySelectorAll("li").forEach(function (li) {
    figures[li.dataset.key] = li.dataset.raw;
  });

  function setText(id, text) {
    var el = document.getElementById(id);
    el.textContent = text || "";
    el.hidden = !text;
  }

  function celebrate(names) {
    banner.textContent = names.map(function (name) {
      return words.scored.replace("%(name)s", name);
    }).join("  ·  ");
    banner.hidden = false;
    banner.classList.remove("wb-pop");
    void banner.offsetWidth; // restart the animation
    banner.classList.add("wb-pop");
    clearTimeout(bannerTimer);
    bannerTimer = setTimeout(function () { banner.hidden = true; }, 8000);
  }

  function draw(board) {
    setText("wb-title", board.title);
    setText("wb-subtitle", board.subtitle);
    setText("wb-total", board.total);
    setText("wb-note", board.note);
    document.title = board.title;
    var risen = [];
    var seen = {};
    var items = board.rows.map(function (row) {
      var before = figures[row.key];
      if (before !== undefined && row.raw !== null && (before === "" || before === null ||
          parseFloat(row.raw) > parseFloat(before))) {
        risen.push(row.name);
      }
      seen[row.key] = row.raw;
      var li = document.createElement("li");
      li.className = "wb-row" + (row.wins ? " wb-wins" : "");
      li.dataset.key = row.key;
      [["wb-rank", row.rank === null ? "–" : String(row.rank)], ["wb-name", row.name],
       ["wb-value", row.value]].forEach(function (cell) {
        var span = document.createElement("span");
        span.className = cell[0];
        span.textContent = cell[1];
        li.appendChild(span);
      });
      if (risen.indexOf(row.name) >= 0) { li.classList.add("wb-rose"); }
      return li;
    });
    // A newcomer to the public places scored too.
    board.rows.forEach(function (row) {
      if (figures[row.key] === undefined && last !== null && row.raw !== null) {
        risen.push(row.name);
      }
    });
    rowsEl.replaceChildren.apply(rowsEl, items);
    figures = seen;
    if (risen.length) { celebrate(risen); }
  }

  function gone() {
    rowsEl.replaceChildren();
    setText("wb-total", "");
    setText("wb-subtitle", "");
    setText("wb-note", words.gone);
    banner.hidden = true;
  }

  var stopped = false;

  function poll() {
    fetch(main.dataset.live, { cache: "no-cache", credentials: "omit" })
      .then(function (response) {
        if (response.status === 404 || response.status === 410) {
          stopped = true; // revoked: nothing more to ask for
          gone();
          return null;
        }
        return response.ok ? response.text() : null;
      })
      .then(function (text) {
        if (text && text !== last) {
          last = text;
          draw(JSON.parse(text));
        }
      })
      .catch(function () { /* the network hiccups; the next poll tries again */ })
      .finally(function () { if (!stopped) { setTimeout(poll, every); } });
  }

  function tick() {
    document.getElementById("wb-clock").textContent = new Date().toLocaleTimeString(
      document.documentElement.lang, { hour: "2-digit", minute: "2-digit" });
  }
  tick();
  setInterval(tick, 10000);
  setTimeout(poll, every);
})();
