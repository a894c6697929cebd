//! The pages' words in each language.

use rapport_domain::Locale;

pub struct Texts {
    pub sign_in: &'static str,
    pub sign_out: &'static str,
    pub email: &'static str,
    pub password: &'static str,
    pub bad_credentials: &'static str,
    pub form_expired: &'static str,
    pub too_many_attempts: &'static str,
    pub recent_tickets: &'static str,
    pub subject: &'static str,
    pub status: &'static str,
    pub priority: &'static str,
    pub channel: &'static str,
}

static EN: Texts = Texts {
    sign_in: "Sign in",
    sign_out: "Sign out",
    email: "Email",
    password: "Password",
    bad_credentials: "That email and password do not match an active account.",
    form_expired: "The form expired. Please try again.",
    too_many_attempts: "Too many attempts. Wait a minute and try again.",
    recent_tickets: "Recent tickets",
    subject: "Subject",
    status: "Status",
    priority: "Priority",
    channel: "Channel",
};

static VI: Texts = Texts {
    sign_in: "Đăng nhập",
    sign_out: "Đăng xuất",
    email: "Email",
    password: "Mật khẩu",
    bad_credentials: "Email và mật khẩu không khớp với tài khoản đang hoạt động nào.",
    form_expired: "Biểu mẫu đã hết hạn. Vui lòng thử lại.",
    too_many_attempts: "Quá nhiều lần thử. Vui lòng đợi một phút rồi thử lại.",
    recent_tickets: "Yêu cầu gần đây",
    subject: "Tiêu đề",
    status: "Trạng thái",
    priority: "Mức ưu tiên",
    channel: "Kênh",
};

static PL: Texts = Texts {
    sign_in: "Zaloguj się",
    sign_out: "Wyloguj się",
    email: "E-mail",
    password: "Hasło",
    bad_credentials: "Ten e-mail i hasło nie pasują do żadnego aktywnego konta.",
    form_expired: "Formularz wygasł. Spróbuj ponownie.",
    too_many_attempts: "Zbyt wiele prób. Odczekaj minutę i spróbuj ponownie.",
    recent_tickets: "Ostatnie zgłoszenia",
    subject: "Temat",
    status: "Status",
    priority: "Priorytet",
    channel: "Kanał",
};

pub fn texts(locale: Locale) -> &'static Texts {
    match locale {
        Locale::En => &EN,
        Locale::Vi => &VI,
        Locale::Pl => &PL,
    }
}
