// Runs before the first paint: apply the remembered language (localStorage
// "mustafid.lang", Arabic by default) to <html lang dir> so English users never see
// a right-to-left flash. Keep in step with src/i18n/language.ts.
(function () {
  var lang = 'ar';
  try {
    if (window.localStorage.getItem('mustafid.lang') === 'en') lang = 'en';
  } catch (e) {
    /* storage blocked: keep Arabic */
  }
  var root = document.documentElement;
  root.lang = lang;
  root.dir = lang === 'ar' ? 'rtl' : 'ltr';
})();
