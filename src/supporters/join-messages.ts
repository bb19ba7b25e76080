import { Catalog } from '../common/languages';

/** Version of the consent text shown by the join form; recorded with every consent. */
export const JOIN_CONSENT_VERSION = 'join-2026-11';

export const JOIN_EMAIL: Catalog<'subject' | 'greetingNamed' | 'greeting' | 'intro' | 'action' | 'fallback' | 'expiry' | 'footer'> = {
  en: {
    subject: 'Confirm that you want to join the movement',
    greetingNamed: 'Hello {{givenName}},',
    greeting: 'Hello,',
    intro: 'Thank you for answering the call to join the global movement. Please confirm your address with the button below.',
    action: 'Yes, I want to join',
    fallback: 'If the button does not work, open this link:',
    expiry: 'This link works for 7 days.',
    footer: 'If you did not ask to join, ignore this email: nothing happens unless you confirm.',
  },
  ar: {
    subject: 'أكّد رغبتك في الانضمام إلى الحركة',
    greetingNamed: 'مرحبًا {{givenName}}،',
    greeting: 'مرحبًا،',
    intro: 'شكرًا لاستجابتك لدعوة الانضمام إلى الحركة العالمية. يُرجى تأكيد عنوان بريدك الإلكتروني بالضغط على الزر أدناه.',
    action: 'نعم، أريد الانضمام',
    fallback: 'إذا لم يعمل الزر، افتح هذا الرابط:',
    expiry: 'يبقى هذا الرابط صالحًا لمدة 7 أيام.',
    footer: 'إذا لم تطلب الانضمام، فتجاهل هذه الرسالة: لن يحدث شيء ما لم تؤكّد.',
  },
  fa: {
    subject: 'پیوستن خود به جنبش را تأیید کنید',
    greetingNamed: 'سلام {{givenName}}،',
    greeting: 'سلام،',
    intro: 'از اینکه به فراخوان پیوستن به جنبش جهانی پاسخ دادید سپاسگزاریم. لطفاً نشانی ایمیل خود را با دکمهٔ زیر تأیید کنید.',
    action: 'بله، می‌خواهم بپیوندم',
    fallback: 'اگر دکمه کار نمی‌کند، این پیوند را باز کنید:',
    expiry: 'این پیوند تا ۷ روز معتبر است.',
    footer: 'اگر درخواست پیوستن نداده‌اید، این ایمیل را نادیده بگیرید: تا تأیید نکنید هیچ اتفاقی نمی‌افتد.',
  },
  fr: {
    subject: 'Confirmez que vous voulez rejoindre le mouvement',
    greetingNamed: 'Bonjour {{givenName}},',
    greeting: 'Bonjour,',
    intro: 'Merci d’avoir répondu à l’appel à rejoindre le mouvement mondial. Veuillez confirmer votre adresse avec le bouton ci-dessous.',
    action: 'Oui, je rejoins le mouvement',
    fallback: 'Si le bouton ne fonctionne pas, ouvrez ce lien :',
    expiry: 'Ce lien est valable 7 jours.',
    footer: 'Si vous n’avez rien demandé, ignorez ce message : rien ne se passe sans votre confirmation.',
  },
};

export const JOIN_PAGES: Catalog<
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
    confirmTitle: 'Confirm your membership',
    confirmText: 'Press the button to confirm that you want to join the global movement.',
    confirmButton: 'Confirm',
    doneTitle: 'Welcome to the movement',
    doneText: 'Your membership is confirmed. Thank you for standing with us.',
    alreadyTitle: 'Already confirmed',
    alreadyText: 'This link has already been used: your membership is confirmed.',
    expiredTitle: 'This link has expired',
    expiredText: 'Links are valid for 7 days. Sign up again to receive a new one.',
    unknownTitle: 'Link not valid',
    unknownText: 'This link is not valid. Check that you copied all of it, or sign up again.',
  },
  ar: {
    confirmTitle: 'أكّد عضويتك',
    confirmText: 'اضغط على الزر لتأكيد رغبتك في الانضمام إلى الحركة العالمية.',
    confirmButton: 'تأكيد',
    doneTitle: 'مرحبًا بك في الحركة',
    doneText: 'تم تأكيد عضويتك. شكرًا لوقوفك معنا.',
    alreadyTitle: 'تم التأكيد مسبقًا',
    alreadyText: 'سبق استخدام هذا الرابط: عضويتك مؤكَّدة.',
    expiredTitle: 'انتهت صلاحية هذا الرابط',
    expiredText: 'تبقى الروابط صالحة لمدة 7 أيام. سجّل من جديد لتتلقى رابطًا جديدًا.',
    unknownTitle: 'الرابط غير صالح',
    unknownText: 'هذا الرابط غير صالح. تأكّد من نسخه كاملًا، أو سجّل من جديد.',
  },
  fa: {
    confirmTitle: 'عضویت خود را تأیید کنید',
    confirmText: 'برای تأیید پیوستن به جنبش جهانی دکمه را بزنید.',
    confirmButton: 'تأیید',
    doneTitle: 'به جنبش خوش آمدید',
    doneText: 'عضویت شما تأیید شد. از همراهی‌تان سپاسگزاریم.',
    alreadyTitle: 'پیش‌تر تأیید شده است',
    alreadyText: 'این پیوند پیش‌تر به کار رفته است: عضویت شما تأیید شده است.',
    expiredTitle: 'این پیوند منقضی شده است',
    expiredText: 'پیوندها ۷ روز معتبرند. دوباره ثبت‌نام کنید تا پیوند تازه‌ای دریافت کنید.',
    unknownTitle: 'پیوند معتبر نیست',
    unknownText: 'این پیوند معتبر نیست. بررسی کنید که همهٔ آن را کپی کرده‌اید، یا دوباره ثبت‌نام کنید.',
  },
  fr: {
    confirmTitle: 'Confirmez votre adhésion',
    confirmText: 'Appuyez sur le bouton pour confirmer que vous rejoignez le mouvement mondial.',
    confirmButton: 'Confirmer',
    doneTitle: 'Bienvenue dans le mouvement',
    doneText: 'Votre adhésion est confirmée. Merci d’être à nos côtés.',
    alreadyTitle: 'Déjà confirmé',
    alreadyText: 'Ce lien a déjà servi : votre adhésion est confirmée.',
    expiredTitle: 'Ce lien a expiré',
    expiredText: 'Les liens sont valables 7 jours. Inscrivez-vous de nouveau pour en recevoir un autre.',
    unknownTitle: 'Lien non valide',
    unknownText: 'Ce lien n’est pas valide. Vérifiez que vous l’avez copié en entier, ou inscrivez-vous de nouveau.',
  },
};
