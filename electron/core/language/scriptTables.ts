// Letters that name a language or a script by themselves, where n-grams cannot tell close
// neighbours apart: the two Chinese scripts, and the Cyrillic languages next to Russian.
import { SIMPLIFIED_ONLY_CHARS, TRADITIONAL_ONLY_CHARS } from './tables/hanScriptTables';

// The first hand-written tables, reviewed pair by pair, kept on top of OpenCC's: OpenCC leaves
// out 种 确 据 么 无 价 荐 计 麼 because each also exists, rarely, in the other script, yet in
// chat replies they are as telling as the rest.
const REVIEWED_SIMPLIFIED =
  '这们个会说时来为国过对还问没学动长开关见现经实让点车东钱书话语间门马风飞电认识题号应该头听欢网线体样进边级视设计种务请谢虽难满远运选写买卖读图华兴单双战历张节办传变报场极标确数据库启装码户组统类击页载删换档览简复杂乐从给吗么爱觉员师热岁产业专与际区无气灯处习亲卫众优带错误试调输连结络软储缓册录记议总钟续继终归闭阅条蓝两湾阵须称颜济价钮闻剧环护隐权资讯购货费贵宽础观离压创态获质严丽尔义乡医药饭馆汉虑荐';
const REVIEWED_TRADITIONAL =
  '這們個會說時來為國過對還問沒學動長開關見現經實讓點車東錢書話語間門馬風飛電認識題號應該頭聽歡網線體樣進邊級視設計種務請謝雖難滿遠運選寫買賣讀圖華興單雙戰歷張節辦傳變報場極標確數據庫啟裝碼戶組統類擊頁載刪換檔覽簡複雜樂從給嗎麼愛覺員師熱歲產業專與際區無氣燈處習親衛眾優帶錯誤試調輸連結絡軟儲緩冊錄記議總鐘續繼終歸閉閱條藍兩灣陣須稱顏濟價鈕聞劇環護隱權資訊購貨費貴寬礎觀離壓創態獲質嚴麗爾義鄉醫藥飯館漢慮薦';

/** Characters written only in Simplified Chinese (OpenCC's table plus the reviewed one). */
export const SIMPLIFIED_ONLY: ReadonlySet<string> = new Set([
  ...SIMPLIFIED_ONLY_CHARS,
  ...REVIEWED_SIMPLIFIED,
]);
/** Characters written only in Traditional Chinese. */
export const TRADITIONAL_ONLY: ReadonlySet<string> = new Set([
  ...TRADITIONAL_ONLY_CHARS,
  ...REVIEWED_TRADITIONAL,
]);

const CYRILLIC_MARKS = {
  // Russian (and Belarusian) letters that Ukrainian, Bulgarian and Serbian never use.
  russian: /[ыэё]/giu,
  ukrainian: /[іїєґ]/giu,
  belarusian: /ў/giu,
  serbian: /[јљњћђџ]/giu,
  macedonian: /[ѓќѕ]/giu,
  // Russian writes ъ only before е ё ю я; Bulgarian writes it as a vowel before consonants.
  bulgarian: /ъ(?=[бвгджзйклмнпрстфхцчшщ])/giu,
};

function count(text: string, pattern: RegExp): number {
  return text.match(pattern)?.length ?? 0;
}

/**
 * The Cyrillic language its letters name, or null when they name none (or disagree, as with a
 * Ukrainian name quoted in Russian). Russian needs ы, э or ё and none of the others' letters.
 */
export function cyrillicByLetters(text: string): 'ru' | 'uk' | 'be' | 'sr' | 'mk' | 'bg' | null {
  const russian = count(text, CYRILLIC_MARKS.russian);
  const ukrainian = count(text, CYRILLIC_MARKS.ukrainian);
  const belarusian = count(text, CYRILLIC_MARKS.belarusian);
  const serbian = count(text, CYRILLIC_MARKS.serbian);
  const macedonian = count(text, CYRILLIC_MARKS.macedonian);
  const bulgarian = count(text, CYRILLIC_MARKS.bulgarian);
  // Belarusian shares ы and э with Russian; ў with і settles it.
  if (belarusian > 0 && ukrainian > 0) return 'be';
  const others = ukrainian + serbian + macedonian + bulgarian;
  if (russian > 0) return others === 0 || russian >= 4 * others ? 'ru' : null;
  if (macedonian > 0) return 'mk';
  if (serbian > 0) return 'sr';
  if (ukrainian >= 2) return 'uk';
  if (bulgarian > 0) return 'bg';
  return null;
}
