// The offline page's only behaviour (app/routes/offline.tsx): come back as soon as the server answers again.
;(function () {
  var RETRY_MS = 5000
  function retry() {
    fetch('/readyz', { cache: 'no-store' }).then(
      function (r) {
        if (r.ok) location.reload()
      },
      function () {},
    )
  }
  document.getElementById('retry').addEventListener('click', retry)
  window.addEventListener('online', retry)
  setInterval(function () {
    if (navigator.onLine) retry()
  }, RETRY_MS)
})()
