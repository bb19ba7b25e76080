import { Catalog, SupportedLanguage } from '../common/languages';

/** Version of the text under the RSVP form's "keep me informed" box; recorded with the consent. */
export const RSVP_SUBSCRIBE_CONSENT_VERSION = 'event-rsvp-2026-11';

type EmailKey =
  | 'greetingNamed'
  | 'greeting'
  | 'fallback'
  | 'footer'
  | 'when'
  | 'where'
  | 'online'
  | 'guests'
  | 'confirmSubject'
  | 'confirmIntro'
  | 'confirmAction'
  | 'confirmExpiry'
  | 'goingSubject'
  | 'goingIntro'
  | 'promotedSubject'
  | 'promotedIntro'
  | 'calendar'
  | 'cancelAction'
  | 'waitlistedSubject'
  | 'waitlistedIntro'
  | 'leaveAction'
  | 'fullSubject'
  | 'fullIntro'
  | 'reminderSubject'
  | 'reminderIntro'
  | 'cancelledSubject'
  | 'cancelledIntro';

/** Every event email, in every language. `{{...}}` placeholders are filled, then escaped by the layout. */
export const EVENT_EMAIL: Catalog<EmailKey> = {
  en: {
    greetingNamed: 'Hello {{givenName}},',
    greeting: 'Hello,',
    fallback: 'If the button does not work, open this link:',
    footer: 'You receive this email because this address was used to answer an invitation of the movement.',
    when: 'When: {{when}}',
    where: 'Where: {{where}}',
    online: 'Online: {{url}}',
    guests: 'Guests with you: {{guests}}',
    confirmSubject: 'Confirm your place at {{title}}',
    confirmIntro:
      'Thank you for answering the invitation to {{title}}. Please confirm with the button below; nothing is booked until you do.',
    confirmAction: 'Yes, I will come',
    confirmExpiry: 'This link works for 7 days. If you did not ask for this, ignore this email.',
    goingSubject: 'You are going: {{title}}',
    goingIntro: 'Your place at {{title}} is booked. We look forward to seeing you.',
    promotedSubject: 'A place opened up: you are going to {{title}}',
    promotedIntro: 'Good news: a place opened up at {{title}} and it is yours now.',
    calendar: 'The invitation for your calendar is attached.',
    cancelAction: 'I can no longer come',
    waitlistedSubject: 'You are on the waitlist for {{title}}',
    waitlistedIntro: '{{title}} is full for now. You are on the waitlist: if a place opens up, we will email you at once.',
    leaveAction: 'Leave the waitlist',
    fullSubject: '{{title}} is full',
    fullIntro: 'We are sorry: {{title}} is full and has no waitlist. Thank you for wanting to be there.',
    reminderSubject: 'Reminder: {{title}}, {{when}}',
    reminderIntro: 'This is a reminder that {{title}} is coming up.',
    cancelledSubject: 'Cancelled: {{title}}',
    cancelledIntro:
      'We are sorry: {{title}} has been cancelled by its organizers. Your place is released; there is nothing you need to do.',
  },
  ar: {
    greetingNamed: 'مرحبًا {{givenName}}،',
    greeting: 'مرحبًا،',
    fallback: 'إذا لم يعمل الزر، افتح هذا الرابط:',
    footer: 'تصلك هذه الرسالة لأن هذا العنوان استُخدم للرد على دعوة من الحركة.',
    when: 'الموعد: {{when}}',
    where: 'المكان: {{where}}',
    online: 'عبر الإنترنت: {{url}}',
    guests: 'عدد المرافقين: {{guests}}',
    confirmSubject: 'أكّد حضورك في {{title}}',
    confirmIntro: 'شكرًا لتلبيتك الدعوة إلى {{title}}. يُرجى التأكيد بالضغط على الزر أدناه؛ لا يُحجز شيء قبل ذلك.',
    confirmAction: 'نعم، سأحضر',
    confirmExpiry: 'يبقى هذا الرابط صالحًا لمدة 7 أيام. إذا لم تطلب ذلك، فتجاهل هذه الرسالة.',
    goingSubject: 'حضورك مؤكَّد: {{title}}',
    goingIntro: 'تم حجز مكانك في {{title}}. نتطلع إلى لقائك.',
    promotedSubject: 'توفّر مكان: حضورك مؤكَّد في {{title}}',
    promotedIntro: 'خبر سار: توفّر مكان في {{title}} وأصبح لك الآن.',
    calendar: 'الدعوة الخاصة بتقويمك مرفقة.',
    cancelAction: 'لم يعد بإمكاني الحضور',
    waitlistedSubject: 'أنت على قائمة الانتظار لـ {{title}}',
    waitlistedIntro: 'اكتمل العدد في {{title}} حاليًا. أنت على قائمة الانتظار: إذا توفّر مكان فسنراسلك فورًا.',
    leaveAction: 'مغادرة قائمة الانتظار',
    fullSubject: 'اكتمل العدد في {{title}}',
    fullIntro: 'نأسف: اكتمل العدد في {{title}} ولا توجد قائمة انتظار. شكرًا لرغبتك في الحضور.',
    reminderSubject: 'تذكير: {{title}}، {{when}}',
    reminderIntro: 'نذكّرك بأن موعد {{title}} يقترب.',
    cancelledSubject: 'أُلغي: {{title}}',
    cancelledIntro: 'نأسف: ألغى المنظمون {{title}}. لقد حُرّر مكانك ولا شيء عليك فعله.',
  },
  fa: {
    greetingNamed: 'سلام {{givenName}}،',
    greeting: 'سلام،',
    fallback: 'اگر دکمه کار نمی‌کند، این پیوند را باز کنید:',
    footer: 'این ایمیل را دریافت می‌کنید چون با این نشانی به دعوتی از جنبش پاسخ داده شده است.',
    when: 'زمان: {{when}}',
    where: 'مکان: {{where}}',
    online: 'برخط: {{url}}',
    guests: 'همراهان شما: {{guests}}',
    confirmSubject: 'حضور خود در {{title}} را تأیید کنید',
    confirmIntro: 'از پاسخ شما به دعوت {{title}} سپاسگزاریم. لطفاً با دکمهٔ زیر تأیید کنید؛ تا آن زمان جایی رزرو نمی‌شود.',
    confirmAction: 'بله، می‌آیم',
    confirmExpiry: 'این پیوند تا ۷ روز معتبر است. اگر چنین درخواستی نداده‌اید، این ایمیل را نادیده بگیرید.',
    goingSubject: 'حضور شما قطعی است: {{title}}',
    goingIntro: 'جای شما در {{title}} رزرو شد. مشتاق دیدارتان هستیم.',
    promotedSubject: 'جایی خالی شد: حضور شما در {{title}} قطعی است',
    promotedIntro: 'خبر خوب: جایی در {{title}} خالی شد و اکنون از آنِ شماست.',
    calendar: 'دعوت‌نامه برای تقویم شما پیوست شده است.',
    cancelAction: 'دیگر نمی‌توانم بیایم',
    waitlistedSubject: 'شما در فهرست انتظار {{title}} هستید',
    waitlistedIntro: 'ظرفیت {{title}} فعلاً پر است. شما در فهرست انتظار هستید: اگر جایی خالی شود، بی‌درنگ به شما ایمیل می‌زنیم.',
    leaveAction: 'خروج از فهرست انتظار',
    fullSubject: 'ظرفیت {{title}} پر است',
    fullIntro: 'متأسفیم: ظرفیت {{title}} پر است و فهرست انتظار ندارد. از علاقهٔ شما سپاسگزاریم.',
    reminderSubject: 'یادآوری: {{title}}، {{when}}',
    reminderIntro: 'یادآوری می‌کنیم که {{title}} نزدیک است.',
    cancelledSubject: 'لغو شد: {{title}}',
    cancelledIntro: 'متأسفیم: برگزارکنندگان {{title}} را لغو کردند. جای شما آزاد شد و لازم نیست کاری بکنید.',
  },
  fr: {
    greetingNamed: 'Bonjour {{givenName}},',
    greeting: 'Bonjour,',
    fallback: 'Si le bouton ne fonctionne pas, ouvrez ce lien :',
    footer: 'Vous recevez ce message parce que cette adresse a servi à répondre à une invitation du mouvement.',
    when: 'Quand : {{when}}',
    where: 'Où : {{where}}',
    online: 'En ligne : {{url}}',
    guests: 'Personnes qui vous accompagnent : {{guests}}',
    confirmSubject: 'Confirmez votre place à {{title}}',
    confirmIntro: 'Merci d’avoir répondu à l’invitation à {{title}}. Confirmez avec le bouton ci-dessous ; rien n’est réservé avant.',
    confirmAction: 'Oui, je viendrai',
    confirmExpiry: 'Ce lien est valable 7 jours. Si vous n’avez rien demandé, ignorez ce message.',
    goingSubject: 'Vous venez : {{title}}',
    goingIntro: 'Votre place à {{title}} est réservée. Au plaisir de vous voir.',
    promotedSubject: 'Une place s’est libérée : vous venez à {{title}}',
    promotedIntro: 'Bonne nouvelle : une place s’est libérée à {{title}} et elle est à vous.',
    calendar: 'L’invitation pour votre agenda est jointe.',
    cancelAction: 'Je ne peux plus venir',
    waitlistedSubject: 'Vous êtes sur la liste d’attente de {{title}}',
    waitlistedIntro:
      '{{title}} est complet pour l’instant. Vous êtes sur la liste d’attente : si une place se libère, nous vous écrirons aussitôt.',
    leaveAction: 'Quitter la liste d’attente',
    fullSubject: '{{title}} est complet',
    fullIntro: 'Désolés : {{title}} est complet et n’a pas de liste d’attente. Merci d’avoir voulu venir.',
    reminderSubject: 'Rappel : {{title}}, {{when}}',
    reminderIntro: 'Petit rappel : {{title}} approche.',
    cancelledSubject: 'Annulé : {{title}}',
    cancelledIntro: 'Désolés : {{title}} a été annulé par ses organisateurs. Votre place est libérée ; vous n’avez rien à faire.',
  },
};

type PageKey =
  | 'confirmTitle'
  | 'confirmText'
  | 'confirmButton'
  | 'goingTitle'
  | 'goingText'
  | 'waitlistedTitle'
  | 'waitlistedText'
  | 'fullTitle'
  | 'fullText'
  | 'closedTitle'
  | 'closedText'
  | 'alreadyTitle'
  | 'alreadyText'
  | 'cancelTitle'
  | 'cancelText'
  | 'cancelButton'
  | 'cancelledTitle'
  | 'cancelledText'
  | 'expiredTitle'
  | 'expiredText'
  | 'unknownTitle'
  | 'unknownText';

/** The pages behind the links in event emails. */
export const EVENT_PAGES: Catalog<PageKey> = {
  en: {
    confirmTitle: 'Confirm your place',
    confirmText: 'Press the button to confirm that you will come to {{title}}.',
    confirmButton: 'Confirm',
    goingTitle: 'You are going',
    goingText: 'Your place at {{title}} is booked. An email with the details is on its way.',
    waitlistedTitle: 'You are on the waitlist',
    waitlistedText: '{{title}} is full for now. We will email you if a place opens up.',
    fullTitle: 'This event is full',
    fullText: '{{title}} is full and has no waitlist. We are sorry.',
    closedTitle: 'This event is closed',
    closedText: '{{title}} no longer takes answers.',
    alreadyTitle: 'Already done',
    alreadyText: 'This link has already been used.',
    cancelTitle: 'Cancel your place',
    cancelText: 'Press the button to release your place at {{title}}; it will go to the next person waiting.',
    cancelButton: 'Release my place',
    cancelledTitle: 'Your place is released',
    cancelledText: 'Thank you for telling us. Your answer to {{title}} is cancelled.',
    expiredTitle: 'This link has expired',
    expiredText: 'Answer the invitation again to receive a new link.',
    unknownTitle: 'Link not valid',
    unknownText: 'This link is not valid. Check that you copied all of it.',
  },
  ar: {
    confirmTitle: 'أكّد حضورك',
    confirmText: 'اضغط على الزر لتأكيد حضورك في {{title}}.',
    confirmButton: 'تأكيد',
    goingTitle: 'حضورك مؤكَّد',
    goingText: 'تم حجز مكانك في {{title}}. رسالة بالتفاصيل في طريقها إليك.',
    waitlistedTitle: 'أنت على قائمة الانتظار',
    waitlistedText: 'اكتمل العدد في {{title}} حاليًا. سنراسلك إذا توفّر مكان.',
    fullTitle: 'اكتمل العدد',
    fullText: 'اكتمل العدد في {{title}} ولا توجد قائمة انتظار. نأسف لذلك.',
    closedTitle: 'لم يعد هذا الحدث يقبل الردود',
    closedText: 'لم يعد {{title}} يقبل الردود.',
    alreadyTitle: 'تم ذلك مسبقًا',
    alreadyText: 'سبق استخدام هذا الرابط.',
    cancelTitle: 'ألغِ حضورك',
    cancelText: 'اضغط على الزر لتحرير مكانك في {{title}}؛ سينتقل إلى أول شخص في الانتظار.',
    cancelButton: 'حرّر مكاني',
    cancelledTitle: 'تم تحرير مكانك',
    cancelledText: 'شكرًا لإخبارنا. أُلغي ردّك على {{title}}.',
    expiredTitle: 'انتهت صلاحية هذا الرابط',
    expiredText: 'أجب عن الدعوة من جديد لتتلقى رابطًا جديدًا.',
    unknownTitle: 'الرابط غير صالح',
    unknownText: 'هذا الرابط غير صالح. تأكّد من نسخه كاملًا.',
  },
  fa: {
    confirmTitle: 'حضور خود را تأیید کنید',
    confirmText: 'برای تأیید حضور در {{title}} دکمه را بزنید.',
    confirmButton: 'تأیید',
    goingTitle: 'حضور شما قطعی است',
    goingText: 'جای شما در {{title}} رزرو شد. ایمیلی با جزئیات در راه است.',
    waitlistedTitle: 'شما در فهرست انتظار هستید',
    waitlistedText: 'ظرفیت {{title}} فعلاً پر است. اگر جایی خالی شود به شما ایمیل می‌زنیم.',
    fullTitle: 'ظرفیت پر است',
    fullText: 'ظرفیت {{title}} پر است و فهرست انتظار ندارد. متأسفیم.',
    closedTitle: 'این رویداد بسته است',
    closedText: '{{title}} دیگر پاسخ نمی‌پذیرد.',
    alreadyTitle: 'پیش‌تر انجام شده است',
    alreadyText: 'این پیوند پیش‌تر به کار رفته است.',
    cancelTitle: 'لغو حضور',
    cancelText: 'برای آزاد کردن جای خود در {{title}} دکمه را بزنید؛ جای شما به نفر بعدی در انتظار می‌رسد.',
    cancelButton: 'جایم را آزاد کن',
    cancelledTitle: 'جای شما آزاد شد',
    cancelledText: 'از اینکه خبر دادید سپاسگزاریم. پاسخ شما به {{title}} لغو شد.',
    expiredTitle: 'این پیوند منقضی شده است',
    expiredText: 'دوباره به دعوت پاسخ دهید تا پیوند تازه‌ای دریافت کنید.',
    unknownTitle: 'پیوند معتبر نیست',
    unknownText: 'این پیوند معتبر نیست. بررسی کنید که همهٔ آن را کپی کرده‌اید.',
  },
  fr: {
    confirmTitle: 'Confirmez votre place',
    confirmText: 'Appuyez sur le bouton pour confirmer votre venue à {{title}}.',
    confirmButton: 'Confirmer',
    goingTitle: 'Vous venez',
    goingText: 'Votre place à {{title}} est réservée. Un message avec les détails arrive.',
    waitlistedTitle: 'Vous êtes sur la liste d’attente',
    waitlistedText: '{{title}} est complet pour l’instant. Nous vous écrirons si une place se libère.',
    fullTitle: 'Cet événement est complet',
    fullText: '{{title}} est complet et n’a pas de liste d’attente. Désolés.',
    closedTitle: 'Cet événement est clos',
    closedText: '{{title}} ne prend plus de réponses.',
    alreadyTitle: 'Déjà fait',
    alreadyText: 'Ce lien a déjà servi.',
    cancelTitle: 'Annuler votre place',
    cancelText: 'Appuyez sur le bouton pour libérer votre place à {{title}} ; elle ira à la personne suivante en attente.',
    cancelButton: 'Libérer ma place',
    cancelledTitle: 'Votre place est libérée',
    cancelledText: 'Merci de nous avoir prévenus. Votre réponse à {{title}} est annulée.',
    expiredTitle: 'Ce lien a expiré',
    expiredText: 'Répondez de nouveau à l’invitation pour recevoir un autre lien.',
    unknownTitle: 'Lien non valide',
    unknownText: 'Ce lien n’est pas valide. Vérifiez que vous l’avez copié en entier.',
  },
};

const LOCALES: Record<SupportedLanguage, string> = { en: 'en-GB', ar: 'ar', fa: 'fa', fr: 'fr-FR' };

/** A time as the reader expects it: their language, the event's zone, the zone named. */
export function formatEventTime(date: Date, timeZone: string, language: SupportedLanguage): string {
  const formatted = new Intl.DateTimeFormat(LOCALES[language], { dateStyle: 'full', timeStyle: 'short', timeZone }).format(date);
  return `${formatted} (${timeZone})`;
}
