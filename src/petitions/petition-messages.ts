import { Catalog } from '../common/languages';

/** Version of the text next to the petition form's "subscribe" box; recorded with the consent. */
export const PETITION_CONSENT_VERSION = 'petition-2026-11';

type EmailKeys = 'subject' | 'greetingNamed' | 'greeting' | 'intro' | 'action' | 'fallback' | 'expiry' | 'footer';

export const SIGNATURE_EMAIL: Catalog<EmailKeys> = {
  en: {
    subject: 'Confirm your signature',
    greetingNamed: 'Hello {{givenName}},',
    greeting: 'Hello,',
    intro: 'Thank you for signing “{{title}}”. Your signature counts once you confirm it with the button below.',
    action: 'Confirm my signature',
    fallback: 'If the button does not work, open this link:',
    expiry: 'This link works for 7 days.',
    footer: 'If you did not sign this petition, ignore this email: nothing is counted unless you confirm.',
  },
  ar: {
    subject: 'أكّد توقيعك',
    greetingNamed: 'مرحبًا {{givenName}}،',
    greeting: 'مرحبًا،',
    intro: 'شكرًا لتوقيعك على «{{title}}». لا يُحتسب توقيعك إلا بعد تأكيده بالضغط على الزر أدناه.',
    action: 'أؤكّد توقيعي',
    fallback: 'إذا لم يعمل الزر، افتح هذا الرابط:',
    expiry: 'يبقى هذا الرابط صالحًا لمدة 7 أيام.',
    footer: 'إذا لم توقّع على هذه العريضة، فتجاهل هذه الرسالة: لن يُحتسب شيء ما لم تؤكّد.',
  },
  fa: {
    subject: 'امضای خود را تأیید کنید',
    greetingNamed: 'سلام {{givenName}}،',
    greeting: 'سلام،',
    intro: 'از امضای «{{title}}» سپاسگزاریم. امضای شما پس از تأیید با دکمهٔ زیر شمرده می‌شود.',
    action: 'امضایم را تأیید می‌کنم',
    fallback: 'اگر دکمه کار نمی‌کند، این پیوند را باز کنید:',
    expiry: 'این پیوند تا ۷ روز معتبر است.',
    footer: 'اگر این دادخواست را امضا نکرده‌اید، این ایمیل را نادیده بگیرید: تا تأیید نکنید چیزی شمرده نمی‌شود.',
  },
  fr: {
    subject: 'Confirmez votre signature',
    greetingNamed: 'Bonjour {{givenName}},',
    greeting: 'Bonjour,',
    intro: 'Merci d’avoir signé « {{title}} ». Votre signature compte dès que vous la confirmez avec le bouton ci-dessous.',
    action: 'Je confirme ma signature',
    fallback: 'Si le bouton ne fonctionne pas, ouvrez ce lien :',
    expiry: 'Ce lien est valable 7 jours.',
    footer: 'Si vous n’avez pas signé cette pétition, ignorez ce message : rien n’est compté sans votre confirmation.',
  },
};

export const SIGNATURE_REMINDER_EMAIL: Catalog<EmailKeys> = {
  en: {
    subject: 'Your signature is not counted yet',
    greetingNamed: 'Hello {{givenName}},',
    greeting: 'Hello,',
    intro: 'Yesterday you signed “{{title}}”, but your signature is not confirmed yet, so it does not count. One click is enough.',
    action: 'Confirm my signature',
    fallback: 'If the button does not work, open this link:',
    expiry: 'This is the only reminder we send. This link works for 7 days.',
    footer: 'If you did not sign this petition, ignore this email: nothing is counted unless you confirm.',
  },
  ar: {
    subject: 'توقيعك لم يُحتسب بعد',
    greetingNamed: 'مرحبًا {{givenName}}،',
    greeting: 'مرحبًا،',
    intro: 'وقّعت أمس على «{{title}}»، لكن توقيعك لم يُؤكَّد بعد، لذا لم يُحتسب. تكفي نقرة واحدة.',
    action: 'أؤكّد توقيعي',
    fallback: 'إذا لم يعمل الزر، افتح هذا الرابط:',
    expiry: 'هذا هو التذكير الوحيد الذي نرسله. يبقى هذا الرابط صالحًا لمدة 7 أيام.',
    footer: 'إذا لم توقّع على هذه العريضة، فتجاهل هذه الرسالة: لن يُحتسب شيء ما لم تؤكّد.',
  },
  fa: {
    subject: 'امضای شما هنوز شمرده نشده است',
    greetingNamed: 'سلام {{givenName}}،',
    greeting: 'سلام،',
    intro: 'دیروز «{{title}}» را امضا کردید، اما امضای شما هنوز تأیید نشده و شمرده نمی‌شود. یک کلیک کافی است.',
    action: 'امضایم را تأیید می‌کنم',
    fallback: 'اگر دکمه کار نمی‌کند، این پیوند را باز کنید:',
    expiry: 'این تنها یادآوری ماست. این پیوند تا ۷ روز معتبر است.',
    footer: 'اگر این دادخواست را امضا نکرده‌اید، این ایمیل را نادیده بگیرید: تا تأیید نکنید چیزی شمرده نمی‌شود.',
  },
  fr: {
    subject: 'Votre signature n’est pas encore comptée',
    greetingNamed: 'Bonjour {{givenName}},',
    greeting: 'Bonjour,',
    intro: 'Hier, vous avez signé « {{title}} », mais votre signature n’est pas encore confirmée : elle ne compte pas. Un clic suffit.',
    action: 'Je confirme ma signature',
    fallback: 'Si le bouton ne fonctionne pas, ouvrez ce lien :',
    expiry: 'C’est le seul rappel que nous envoyons. Ce lien est valable 7 jours.',
    footer: 'Si vous n’avez pas signé cette pétition, ignorez ce message : rien n’est compté sans votre confirmation.',
  },
};

export const SIGNATURE_PAGES: Catalog<
  | 'confirmTitle'
  | 'confirmText'
  | 'confirmButton'
  | 'doneTitle'
  | 'doneText'
  | 'alreadyTitle'
  | 'alreadyText'
  | 'expiredTitle'
  | 'expiredText'
  | 'unknownTitle'
  | 'unknownText'
> = {
  en: {
    confirmTitle: 'Confirm your signature',
    confirmText: 'Press the button to confirm your signature on this petition.',
    confirmButton: 'Confirm',
    doneTitle: 'Your signature counts',
    doneText: 'Thank you: your signature is confirmed and counted.',
    alreadyTitle: 'Already confirmed',
    alreadyText: 'This signature has already been confirmed and counted.',
    expiredTitle: 'This link has expired',
    expiredText: 'Links are valid for 7 days. Sign the petition again to receive a new one.',
    unknownTitle: 'Link not valid',
    unknownText: 'This link is not valid. Check that you copied all of it, or sign the petition again.',
  },
  ar: {
    confirmTitle: 'أكّد توقيعك',
    confirmText: 'اضغط على الزر لتأكيد توقيعك على هذه العريضة.',
    confirmButton: 'تأكيد',
    doneTitle: 'توقيعك محتسب',
    doneText: 'شكرًا لك: تم تأكيد توقيعك واحتسابه.',
    alreadyTitle: 'تم التأكيد مسبقًا',
    alreadyText: 'سبق تأكيد هذا التوقيع واحتسابه.',
    expiredTitle: 'انتهت صلاحية هذا الرابط',
    expiredText: 'تبقى الروابط صالحة لمدة 7 أيام. وقّع على العريضة من جديد لتتلقى رابطًا جديدًا.',
    unknownTitle: 'الرابط غير صالح',
    unknownText: 'هذا الرابط غير صالح. تأكّد من نسخه كاملًا، أو وقّع على العريضة من جديد.',
  },
  fa: {
    confirmTitle: 'امضای خود را تأیید کنید',
    confirmText: 'برای تأیید امضای خود بر این دادخواست دکمه را بزنید.',
    confirmButton: 'تأیید',
    doneTitle: 'امضای شما شمرده شد',
    doneText: 'سپاسگزاریم: امضای شما تأیید و شمرده شد.',
    alreadyTitle: 'پیش‌تر تأیید شده است',
    alreadyText: 'این امضا پیش‌تر تأیید و شمرده شده است.',
    expiredTitle: 'این پیوند منقضی شده است',
    expiredText: 'پیوندها ۷ روز معتبرند. دوباره دادخواست را امضا کنید تا پیوند تازه‌ای دریافت کنید.',
    unknownTitle: 'پیوند معتبر نیست',
    unknownText: 'این پیوند معتبر نیست. بررسی کنید که همهٔ آن را کپی کرده‌اید، یا دوباره دادخواست را امضا کنید.',
  },
  fr: {
    confirmTitle: 'Confirmez votre signature',
    confirmText: 'Appuyez sur le bouton pour confirmer votre signature de cette pétition.',
    confirmButton: 'Confirmer',
    doneTitle: 'Votre signature compte',
    doneText: 'Merci : votre signature est confirmée et comptée.',
    alreadyTitle: 'Déjà confirmée',
    alreadyText: 'Cette signature a déjà été confirmée et comptée.',
    expiredTitle: 'Ce lien a expiré',
    expiredText: 'Les liens sont valables 7 jours. Signez de nouveau la pétition pour en recevoir un autre.',
    unknownTitle: 'Lien non valide',
    unknownText: 'Ce lien n’est pas valide. Vérifiez que vous l’avez copié en entier, ou signez de nouveau la pétition.',
  },
};
