import { describe, expect, it } from 'vitest';
import { assessReply, detectLanguage, stripNonProse } from './detectLanguage';
import { SIMPLIFIED_ONLY, TRADITIONAL_ONLY } from './scriptTables';

// The reply shapes of issue #14, each of which the check got wrong before.

describe('replies that legitimately hold another language', () => {
  it('ignores an unfenced Python traceback inside French prose', () => {
    const reply = [
      'Ton script plante parce que le fichier de configuration est introuvable. Voici ce que Python affiche :',
      '',
      'Traceback (most recent call last):',
      '  File "app.py", line 12, in <module>',
      '    main()',
      '  File "app.py", line 8, in main',
      '    config = load_config(path)',
      "FileNotFoundError: [Errno 2] No such file or directory: 'config.yaml'",
      '',
      'Vérifie que le fichier se trouve bien à côté du script.',
    ].join('\n');
    expect(stripNonProse(reply)).not.toMatch(/Traceback|File "app|load_config|FileNotFoundError/);
    expect(assessReply(reply, 'fr').verdict).toBe('match');
  });

  it('ignores indented code after a blank line, but not indented list items', () => {
    const prose = stripNonProse(
      'Lance ces commandes :\n\n    python3 --version\n    pip show requests\n\nPuis :\n\n    - vérifie la sortie',
    );
    expect(prose).not.toMatch(/python3|pip show/);
    expect(prose).toMatch(/vérifie la sortie/);
  });

  it('ignores text in 「…」 and 『…』 quotes', () => {
    expect(stripNonProse('英語では「the early bird catches the worm」と言います。')).not.toMatch(
      /early/,
    );
    expect(stripNonProse('書名是『The Pragmatic Programmer』。')).not.toMatch(/Pragmatic/);
  });

  it('still catches a whole English answer under one French line ending in a colon', () => {
    const reply = [
      'Voici la réponse :',
      '',
      'The main reason your build fails is that the cache directory is shared between jobs. When two jobs write to it at the same time, one of them reads a half-written file and crashes.',
      '',
      'To fix it, give each job its own cache directory, or lock the directory before writing. Most CI systems offer a per-job cache key that does exactly this.',
    ].join('\n');
    expect(assessReply(reply, 'fr').verdict).toBe('mismatch');
  });

  it('passes a commit message in English inside a French reply', () => {
    const reply = [
      'Voici un message de commit qui décrit bien le changement :',
      '',
      'fix(auth): refresh the session token before it expires',
      '',
      'The session used to expire while the user was still typing, and the next',
      'request failed with a 401. Refresh the token one minute before expiry.',
      '',
      'Tu peux raccourcir le corps du message si ton équipe préfère une seule ligne.',
    ].join('\n');
    expect(assessReply(reply, 'fr').verdict).toBe('match');
  });

  it('passes a German reply holding an English e-mail draft', () => {
    const reply = [
      'Hier ist ein Entwurf, den du deinem Vermieter schicken kannst:',
      '',
      'Dear Mr. Collins,',
      '',
      'I am writing to let you know that the heating in my flat stopped working on Monday evening. The radiators stay cold even when the thermostat is turned up.',
      '',
      'Best regards,',
      'Anna',
      '',
      'Sag mir Bescheid, wenn der Ton förmlicher sein soll.',
    ].join('\n');
    expect(assessReply(reply, 'de').verdict).toBe('match');
  });

  it('passes an English reply teaching a Spanish phrase', () => {
    const reply = [
      'Here is how you ask for a table at a restaurant in Spanish:',
      '',
      '**Buenas noches, quisiera una mesa para dos personas, por favor. ¿Tienen algo cerca de la ventana?**',
      '',
      'The first sentence is the polite request, and the question asks for a table by the window.',
    ].join('\n');
    expect(assessReply(reply, 'en').verdict).toBe('match');
  });

  it('still calls an English reply a drift when only its list follows a colon', () => {
    const reply =
      'Sure! Here are the steps to fix it:\n\n1. Open the settings file in your editor.\n2. Change the port to 8080 and save the file.\n3. Restart the server and reload the page.';
    expect(assessReply(reply, 'fr').verdict).toBe('mismatch');
    expect(assessReply(`Voici la marche à suivre :\n\n${reply}`, 'de').verdict).toBe('mismatch');
  });

  it('passes a Chinese list of long English product names', () => {
    const reply = [
      '我推荐下面这几个工具：',
      '',
      '- Adobe Photoshop Lightroom Classic CC',
      '- Microsoft Visual Studio Code Insiders',
      '- JetBrains IntelliJ IDEA Ultimate Edition',
      '- Affinity Photo for Windows',
      '',
      '第一个最贵。',
    ].join('\n');
    expect(assessReply(reply, 'zh-Hans').verdict).toBe('match');
  });
});

describe('close Cyrillic languages in a Russian conversation', () => {
  it.each([
    [
      'uk',
      'Звісно, ось короткий підсумок зустрічі. Команда вирішила випустити нову версію наступного вівторка.',
    ],
    [
      'bg',
      'Рестартирай услугата със systemctl и после провери дневниците. Ако грешката се появи отново, изпрати ми последните двайсет реда.',
    ],
    [
      'sr',
      'Наравно, ево кратког прегледа састанка. Тим је одлучио да објави нову верзију следећег уторка.',
    ],
    [
      'be',
      'Вядома, вось кароткі агляд сустрэчы. Каманда вырашыла выпусціць новую версію ў наступны аўторак.',
    ],
  ])('calls a %s reply a drift', (language, reply) => {
    expect(assessReply(reply, 'ru')).toMatchObject({ verdict: 'mismatch', detected: language });
  });

  it('keeps Russian that names a Ukrainian city', () => {
    const reply =
      'Из Москвы в Київ сейчас прямых поездов нет, поэтому быстрее всего ехать через Варшаву с пересадкой.';
    expect(assessReply(reply, 'ru').verdict).toBe('match');
  });
});

describe('Chinese scripts', () => {
  it('tables come from a real list: 发 楼 层 将 并 论 讲 谁 and their Traditional forms', () => {
    for (const char of '发楼层将并论讲谁') expect(SIMPLIFIED_ONLY.has(char), char).toBe(true);
    for (const char of '發樓層將並論講誰廣') expect(TRADITIONAL_ONLY.has(char), char).toBe(true);
    // Characters both scripts write are in neither table.
    for (const char of '后里台干只') {
      expect(SIMPLIFIED_ONLY.has(char) || TRADITIONAL_ONLY.has(char), char).toBe(false);
    }
    for (const char of SIMPLIFIED_ONLY) expect(TRADITIONAL_ONLY.has(char), char).toBe(false);
  });

  it('catches Simplified in a Traditional conversation on 大楼-like characters', () => {
    expect(assessReply('那栋大楼在市中心，一共有三十层，顶楼有一家餐厅。', 'zh-Hant').verdict).toBe(
      'mismatch',
    );
    expect(assessReply('我已经把文件发给你了，请查收，有问题再跟我讲。', 'zh-Hant').verdict).toBe(
      'mismatch',
    );
  });

  it('reads a Chinese reply quoting a katakana word as Chinese', () => {
    const reply = '日本的便利店叫做コンビニ，是英文 convenience store 的缩写，几乎每条街上都有。';
    expect(detectLanguage(reply).language).toBe('zh-Hans');
    expect(assessReply(reply, 'zh-Hans').verdict).toBe('match');
    expect(
      assessReply('“卡拉OK”这个词来自日语的カラオケ，意思是没有乐队的伴奏。', 'zh-Hans').verdict,
    ).toBe('match');
    // Japanese itself, with hiragana, stays Japanese.
    expect(detectLanguage('カラオケは日本で生まれた娯楽です。').language).toBe('ja');
  });
});

describe('Arabic quoting English', () => {
  it('passes an Arabic sentence that quotes an English phrase without quote marks', () => {
    expect(
      assessReply(
        'في رسائل العمل يكتب الناس عادة I hope this email finds you well في البداية، وهي عبارة مهذبة لكنها أصبحت مستهلكة.',
        'ar',
      ).verdict,
    ).toBe('match');
    expect(
      assessReply(
        'يمكنك أن تقول: Could you please send me the report by Friday? وهذه صيغة مهذبة ومناسبة للعمل.',
        'ar',
      ).verdict,
    ).toBe('match');
  });

  it('still calls an Arabic reply that ends in English a drift', () => {
    const reply =
      'يمكنك إعادة تشغيل الخدمة أولًا. After that, open the configuration file, change the port and restart the server so that the changes take effect.';
    expect(assessReply(reply, 'ar').verdict).toBe('mismatch');
  });
});
