/**
 * UI strings. zh-CN is the default and complete table; yue (Cantonese, traditional script) may
 * leave keys out, which then fall back to zh-CN. `{name}` placeholders are filled by `t`.
 */

const zhCN = {
  appTitle: '12355 青少年服务热线',
  consoleTitle: '咨询员工作台',
  supervisorTitle: '督导值班台',
  loginTitle: '登录',
  username: '用户名',
  password: '密码',
  signIn: '登录',
  signingIn: '正在登录…',
  signOut: '退出登录',
  loginFailed: '登录失败：用户名或密码不正确',
  tooManyAttempts: '登录失败次数过多，已暂时锁定，请稍后再试',
  networkError: '网络错误，请稍后重试',
  requestFailed: '操作失败：{message}',
  wrongPage: '当前账号无权使用此页面，正在跳转…',

  phoneTitle: '话机',
  sipIdle: '话机未启动',
  sipConnecting: '正在连接话机服务器…',
  sipConnected: '已连接，正在注册…',
  sipRegistered: '已注册',
  sipUnregistered: '未注册',
  sipRejected: '注册被拒绝（{reason}）',
  sipDisconnected: '话机连接已断开，{sec} 秒后重连',
  sipReconnecting: '正在重新连接…',
  sipFailed: '话机启动失败：{message}',
  sipNoMedia: '无法使用麦克风，请检查浏览器权限',

  liveOpen: '实时更新已连接',
  liveReconnecting: '实时更新中断，正在重连…',
  pbxDown: '电话交换机连接中断，来电可能无法接入！',
  pbxUp: '电话交换机已连接',

  goAvailable: '上线',
  pause: '暂停',
  resume: '恢复',
  goOffline: '下线',
  myStatus: '我的状态',
  pauseReason: '暂停原因',
  notRegisteredWarning: '话机未注册，系统无法为您分配来电',

  incomingTitle: '来电',
  answer: '接听',
  decline: '拒绝',
  hangup: '挂断',
  loadingCall: '正在获取来电信息…',
  callInfo: '来电信息',
  line: '热线',
  need: '诉求',
  language: '语言',
  ivrPath: '按键路径',
  waited: '等待时长',
  callerNumber: '来电号码',
  highRisk: '高危',
  critical: '危急',
  callTimer: '通话时长',
  noPath: '（无按键）',
  unknownNumber: '未知号码',

  escalate: '一键转接110',
  escalateHint: '来电者保持在线，不会被挂断；110接通后三方通话。',
  escalating: '正在呼叫110…',
  escalation_dialling: '正在呼叫110',
  escalation_connected: '110已接通',
  escalation_announcing: '110已接听，正在播报提示',
  escalation_failed: '转接110失败',
  escalation_ended: '110通话已结束',

  transfer: '转接同事',
  transferTo: '转给',
  transferWarm: '咨询后转接',
  transferBlind: '直接转接',
  noColleagues: '暂无空闲同事',
  transferred: '已发起转接',
  transferComplete: '完成转接',
  transferCancel: '取消转接',
  transfer_ringing: '正在呼叫同事，来电者正在听等待音乐',
  transfer_consulting: '正在与同事商量，来电者正在听等待音乐',

  wrapUpTitle: '话后整理',
  wrapUpRemaining: '剩余 {time}',
  wrapUpDone: '完成',

  queueTitle: '排队来电',
  counsellorsTitle: '咨询员',
  activeCallsTitle: '进行中的通话与转警',
  statsTitle: '今日数据',
  alertsTitle: '告警',
  noAlerts: '暂无告警',
  emptyQueue: '当前无人排队',
  position: '位置',
  priority: '优先级',
  waiting: '已等待',
  callback: '回拨',
  callbackRequested: '已要求回拨',
  callbacksTitle: '回拨请求',
  queuedSince: '排队至今',
  claimCallback: '认领并回拨',
  emptyCallbacks: '暂无回拨请求',
  callbackClaimed: '请回拨 {number}（{line} · {need} · {language}）',
  callbackTaken: '该回拨已由他人认领',
  dialCallback: '回拨',
  dialCallbackHint: '上线且空闲时可回拨：系统先呼叫您的话机，再拨打来电者。',
  dialCallbackRinging: '正在呼叫您的话机，接听后将拨打来电者',
  offered: '振铃中',
  localTeam: '本地团队',
  // How far the search for a counsellor has widened (local team first, then province, then anyone).
  reachProvince: '已扩至省级',
  reachAnyTeam: '已扩至各地',
  reachAnyCounsellor: '任意咨询员',
  raiseHigh: '提高',
  raiseEmergency: '紧急',
  name: '姓名',
  status: '状态',
  timeInState: '持续',
  currentCall: '当前通话',
  callsToday: '今日接听',
  teamLevel: '团队/级别',
  actions: '操作',
  signOutCounsellor: '签退',
  phase: '阶段',
  counsellor: '咨询员',
  duration: '时长',
  escalationCol: '转警',
  monitor: '监听',
  listen: '监听',
  whisper: '耳语',
  barge: '强插',
  stopMonitor: '结束{mode}',
  monitorRinging: '{mode}已发起，请接听您的话机',
  dismiss: '知道了',

  statOffered: '呼入',
  statAnswered: '接听',
  statAbandoned: '放弃',
  statCallbacks: '回拨',
  statServiceLevel: '服务水平',
  statAsa: '平均应答',
  statLongestWait: '最长等待',
  statAbandonRate: '放弃率',
  statEscalations: '转警',
  chartTitle: '分时段来电（呼入 / 接听）',

  status_offline: '离线',
  status_available: '空闲',
  status_offered: '振铃中',
  'status_on-call': '通话中',
  'status_wrap-up': '话后整理',
  status_paused: '暂停',

  pause_break: '休息',
  pause_meal: '用餐',
  pause_supervision: '督导',
  pause_training: '培训',
  pause_supervisor: '督导要求',
  'pause_no-answer': '多次未接，自动暂停',
  'pause_registration-lost': '话机断开，自动暂停',

  need_psychological: '心理咨询',
  need_legal: '法律援助',
  need_hardship: '困难帮扶',
  need_exam_stress: '考试减压',
  need_general: '综合服务',
  need_emergency: '紧急求助',

  line_main: '12355 主线',
  line_exam: '中高考减压专线',

  lang_cmn: '普通话',
  lang_yue: '粤语',
  lang_hak: '客家话',
  lang_nan: '闽南话',

  menu_language: '语言选择',
  menu_main: '主菜单',
  outcome_invalid: '无效',
  outcome_timeout: '超时',
  outcome_fallback: '转人工',
  'outcome_season-closed': '非服务期',

  priority_normal: '普通',
  priority_callback: '回拨',
  priority_high: '高危',
  priority_emergency: '紧急',

  level_province: '省级',
  level_city: '市级',
  level_county: '县级',

  phase_ivr: '语音导航',
  phase_queued: '排队中',
  phase_ringing: '振铃中',
  phase_connected: '通话中',
  phase_escalating: '转警中',
  phase_transferring: '转接中',
  phase_ended: '已结束',
} as const;

export type StringKey = keyof typeof zhCN;
export type Locale = 'zh-CN' | 'yue';

const yue: Partial<Record<StringKey, string>> = {
  localTeam: '本地團隊',
  reachProvince: '已擴至省級',
  reachAnyTeam: '已擴至各地',
  reachAnyCounsellor: '任何輔導員',
  callbacksTitle: '回撥請求',
  claimCallback: '認領並回撥',
  emptyCallbacks: '暫無回撥請求',
  callbackClaimed: '請回撥 {number}（{line} · {need} · {language}）',
  callbackTaken: '呢個回撥已經有人認領咗',
  dialCallback: '回撥',
  dialCallbackHint: '上線而且得閒嘅時候可以回撥：系統會先打俾你部電話，再打俾來電者。',
  dialCallbackRinging: '正在打俾你部電話，接聽之後會打俾來電者',
  consoleTitle: '輔導員工作台',
  supervisorTitle: '督導值班台',
  signIn: '登入',
  signOut: '登出',
  goAvailable: '上線',
  pause: '暫停',
  resume: '恢復',
  goOffline: '下線',
  answer: '接聽',
  decline: '拒絕',
  hangup: '收線',
  escalate: '一鍵轉駁110',
  escalateHint: '來電者會保持喺線，唔會被掛斷；110接通後三方通話。',
  wrapUpDone: '完成',
  status_available: '空閒',
  'status_on-call': '通話中',
  'status_wrap-up': '通話後整理',
  status_paused: '暫停',
  status_offline: '離線',
  lang_cmn: '普通話',
  lang_yue: '廣東話',
  listen: '監聽',
  whisper: '耳語',
  barge: '強插',
};

const TABLES: Record<Locale, Partial<Record<StringKey, string>>> = { 'zh-CN': zhCN, yue };

let current: Locale = 'zh-CN';

/** `?lang=yue` wins, then a stored choice; anything else is zh-CN. */
export function pickLocale(search: string, stored: string | null): Locale {
  const fromQuery = new URLSearchParams(search).get('lang');
  for (const c of [fromQuery, stored]) if (c === 'yue' || c === 'zh-CN') return c;
  return 'zh-CN';
}

export function setLocale(locale: Locale): void {
  current = locale;
}

export function getLocale(): Locale {
  return current;
}

export function hasString(key: string): key is StringKey {
  return Object.prototype.hasOwnProperty.call(zhCN, key);
}

export function t(key: StringKey, vars: Record<string, string | number> = {}, locale: Locale = current): string {
  const raw = TABLES[locale][key] ?? zhCN[key];
  return raw.replace(/\{(\w+)\}/g, (m, name: string) => (name in vars ? String(vars[name]) : m));
}
