/* <script src="PUBLIC_URL/embed.js" data-petition="slug"></script> (or data-event="slug",
   or data-join) puts the platform's form in an iframe right after the script tag. Language:
   data-lang, else the host page's <html lang>. The iframe reports its height by postMessage
   and only that iframe's messages resize it. Nothing else is read from or sent to the host. */
(function () {
  'use strict';
  var script = document.currentScript;
  if (!script || !script.src) return;
  var data = script.dataset;
  var path = data.petition
    ? 'embed/p/' + encodeURIComponent(data.petition)
    : data.event
      ? 'embed/e/' + encodeURIComponent(data.event)
      : 'join' in data
        ? 'embed/join'
        : null;
  if (!path) return;
  var src = new URL(path, script.src);
  var lang = (data.lang || document.documentElement.lang || '').split('-')[0].toLowerCase();
  if (/^[a-z]{2,3}$/.test(lang)) src.searchParams.set('lang', lang);

  var iframe = document.createElement('iframe');
  iframe.src = src.href;
  iframe.title = data.title || (data.petition ? 'Petition' : data.event ? 'Event' : 'Join');
  iframe.setAttribute('data-campaign-embed', '');
  iframe.setAttribute('referrerpolicy', 'no-referrer');
  iframe.style.border = '0';
  iframe.style.width = '100%';
  iframe.style.maxWidth = '40rem';
  iframe.style.height = '40rem';
  iframe.style.display = 'block';
  script.parentNode.insertBefore(iframe, script.nextSibling);

  window.addEventListener('message', function (event) {
    if (event.source !== iframe.contentWindow || event.origin !== src.origin) return;
    var message = event.data;
    if (!message || message.type !== 'campaign-embed:resize') return;
    var height = message.height;
    if (typeof height !== 'number' || !isFinite(height)) return;
    iframe.style.height = Math.round(Math.min(Math.max(height, 80), 20000)) + 'px';
  });
})();
