// Polls the review's progress and updates the bar; goes to the results when the review is over.
// (Without JavaScript, the page's meta refresh does the same every two seconds.)
(function () {
  var box = document.getElementById("avancement");
  if (!box) { return; }
  var bar = document.getElementById("barre"), count = document.getElementById("compte");
  function poll() {
    fetch(box.dataset.status, {credentials: "same-origin"}).then(function (r) { return r.json(); }).then(function (p) {
      if (p.state !== "running") { window.location.href = box.dataset.done; return; }
      bar.max = p.total || 1; bar.value = p.done;
      count.textContent = p.done + " / " + p.total + (p.total > 1 ? " réponses lues." : " réponse lue.");
      window.setTimeout(poll, 500);
    }).catch(function () { window.setTimeout(poll, 2000); });
  }
  window.setTimeout(poll, 300);
})();
