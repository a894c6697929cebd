//! What respondents read, in their language: the public answer page and the
//! invitation mail. A missing word is a compile error. `{brand}`, `{id}`,
//! `{subject}`, `{name}`, `{until}` and `{hours}` are filled in by the caller.

use rapport_analytics::experience::SurveyKind;
use rapport_domain::Locale;

pub struct SurveyTexts {
    pub title: &'static str,
    pub csat_question: &'static str,
    pub ces_question: &'static str,
    pub nps_question: &'static str,
    pub csat_low: &'static str,
    pub csat_high: &'static str,
    pub ces_low: &'static str,
    pub ces_high: &'static str,
    pub nps_low: &'static str,
    pub nps_high: &'static str,
    pub follow_up: &'static str,
    pub about_ticket: &'static str,
    pub send: &'static str,
    pub change: &'static str,
    pub thanks: &'static str,
    pub change_until: &'static str,
    pub closed: &'static str,
    pub expired: &'static str,
    pub choose_score: &'static str,
    pub invalid_link: &'static str,
    pub too_many: &'static str,
    pub optional: &'static str,
    /// Stands in for the brand's name when there is none.
    pub us: &'static str,
    pub mail_subject_ticket: &'static str,
    pub mail_subject_nps: &'static str,
    pub mail_greeting: &'static str,
    pub mail_ticket_intro: &'static str,
    pub mail_nps_intro: &'static str,
    pub mail_choose: &'static str,
    pub mail_open: &'static str,
    pub mail_footer: &'static str,
}

static EN: SurveyTexts = SurveyTexts {
    title: "Your feedback",
    csat_question: "How satisfied are you with how we handled your request?",
    ces_question: "How easy was it to get your issue handled?",
    nps_question: "How likely are you to recommend {brand} to a friend or colleague?",
    csat_low: "Very dissatisfied",
    csat_high: "Very satisfied",
    ces_low: "Very difficult",
    ces_high: "Very easy",
    nps_low: "Not at all likely",
    nps_high: "Extremely likely",
    follow_up: "Is there anything you would like to tell us?",
    about_ticket: "About your request #{id}: {subject}",
    send: "Send",
    change: "Change my answer",
    thanks: "Thank you! Your answer is saved.",
    change_until: "You can change it until {until}.",
    closed: "This answer can no longer be changed.",
    expired: "This survey has closed.",
    choose_score: "Please choose a score.",
    invalid_link: "This survey link is not valid.",
    too_many: "Too many attempts; please wait a minute and try again.",
    optional: "optional",
    us: "us",
    mail_subject_ticket: "How did we do? [#{id}]",
    mail_subject_nps: "A quick question from {brand}",
    mail_greeting: "Hello {name},",
    mail_ticket_intro: "your request #{id} ({subject}) has been solved.",
    mail_nps_intro: "we would like to know how we are doing.",
    mail_choose: "Choose a score below; it takes a few seconds.",
    mail_open: "Or open the survey:",
    mail_footer: "You can change your answer for {hours} hours after giving it.",
};

static VI: SurveyTexts = SurveyTexts {
    title: "Ý kiến của bạn",
    csat_question: "Bạn hài lòng thế nào với cách chúng tôi xử lý yêu cầu của bạn?",
    ces_question: "Việc giải quyết vấn đề của bạn dễ dàng đến mức nào?",
    nps_question: "Khả năng bạn giới thiệu {brand} cho bạn bè hoặc đồng nghiệp là bao nhiêu?",
    csat_low: "Rất không hài lòng",
    csat_high: "Rất hài lòng",
    ces_low: "Rất khó khăn",
    ces_high: "Rất dễ dàng",
    nps_low: "Hoàn toàn không",
    nps_high: "Chắc chắn có",
    follow_up: "Bạn có muốn chia sẻ thêm điều gì với chúng tôi không?",
    about_ticket: "Về yêu cầu #{id}: {subject}",
    send: "Gửi",
    change: "Đổi câu trả lời",
    thanks: "Cảm ơn bạn! Câu trả lời đã được lưu.",
    change_until: "Bạn có thể thay đổi đến {until}.",
    closed: "Câu trả lời này không thể thay đổi nữa.",
    expired: "Khảo sát này đã đóng.",
    choose_score: "Vui lòng chọn điểm.",
    invalid_link: "Đường dẫn khảo sát không hợp lệ.",
    too_many: "Bạn thao tác quá nhiều lần, vui lòng đợi một phút rồi thử lại.",
    optional: "không bắt buộc",
    us: "chúng tôi",
    mail_subject_ticket: "Chúng tôi đã hỗ trợ bạn thế nào? [#{id}]",
    mail_subject_nps: "Một câu hỏi nhanh từ {brand}",
    mail_greeting: "Xin chào {name},",
    mail_ticket_intro: "yêu cầu #{id} ({subject}) của bạn đã được giải quyết.",
    mail_nps_intro: "chúng tôi muốn biết bạn đánh giá dịch vụ của chúng tôi thế nào.",
    mail_choose: "Chọn một điểm bên dưới, chỉ mất vài giây.",
    mail_open: "Hoặc mở khảo sát:",
    mail_footer: "Bạn có thể đổi câu trả lời trong {hours} giờ sau khi gửi.",
};

static PL: SurveyTexts = SurveyTexts {
    title: "Twoja opinia",
    csat_question: "Jak bardzo jesteś zadowolony z obsługi Twojego zgłoszenia?",
    ces_question: "Jak łatwo było załatwić Twoją sprawę?",
    nps_question: "Jak prawdopodobne jest, że polecisz {brand} znajomemu lub współpracownikowi?",
    csat_low: "Bardzo niezadowolony",
    csat_high: "Bardzo zadowolony",
    ces_low: "Bardzo trudno",
    ces_high: "Bardzo łatwo",
    nps_low: "Zdecydowanie nie",
    nps_high: "Zdecydowanie tak",
    follow_up: "Czy chcesz nam coś jeszcze przekazać?",
    about_ticket: "Dotyczy zgłoszenia nr {id}: {subject}",
    send: "Wyślij",
    change: "Zmień odpowiedź",
    thanks: "Dziękujemy! Twoja odpowiedź została zapisana.",
    change_until: "Możesz ją zmienić do {until}.",
    closed: "Tej odpowiedzi nie można już zmienić.",
    expired: "Ta ankieta jest już zamknięta.",
    choose_score: "Wybierz ocenę.",
    invalid_link: "Ten link do ankiety jest nieprawidłowy.",
    too_many: "Zbyt wiele prób; odczekaj minutę i spróbuj ponownie.",
    optional: "opcjonalnie",
    us: "nas",
    mail_subject_ticket: "Jak nam poszło? [#{id}]",
    mail_subject_nps: "Krótkie pytanie od {brand}",
    mail_greeting: "Dzień dobry, {name},",
    mail_ticket_intro: "Twoje zgłoszenie nr {id} ({subject}) zostało rozwiązane.",
    mail_nps_intro: "chcielibyśmy wiedzieć, jak oceniasz naszą współpracę.",
    mail_choose: "Wybierz ocenę poniżej — to zajmie kilka sekund.",
    mail_open: "Albo otwórz ankietę:",
    mail_footer: "Odpowiedź możesz zmienić w ciągu {hours} godz. od jej wysłania.",
};

pub fn texts(locale: Locale) -> &'static SurveyTexts {
    match locale {
        Locale::En => &EN,
        Locale::Vi => &VI,
        Locale::Pl => &PL,
    }
}

impl SurveyTexts {
    /// The standard question of a kind.
    pub fn question(&self, kind: SurveyKind) -> &'static str {
        match kind {
            SurveyKind::Csat => self.csat_question,
            SurveyKind::Ces => self.ces_question,
            SurveyKind::Nps => self.nps_question,
        }
    }

    /// The words at both ends of the scale.
    pub fn anchors(&self, kind: SurveyKind) -> (&'static str, &'static str) {
        match kind {
            SurveyKind::Csat => (self.csat_low, self.csat_high),
            SurveyKind::Ces => (self.ces_low, self.ces_high),
            SurveyKind::Nps => (self.nps_low, self.nps_high),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_language_has_every_text_with_its_placeholders() {
        for l in Locale::ALL {
            let t = texts(*l);
            assert!(t.nps_question.contains("{brand}") && t.mail_subject_nps.contains("{brand}"));
            assert!(t.about_ticket.contains("{id}") && t.about_ticket.contains("{subject}"));
            assert!(t.change_until.contains("{until}") && t.mail_footer.contains("{hours}") && t.mail_greeting.contains("{name}"));
            assert!(t.mail_subject_ticket.contains("{id}") && t.mail_ticket_intro.contains("{subject}"));
            for k in SurveyKind::ALL {
                assert!(!t.question(*k).is_empty());
            }
        }
        assert_ne!(texts(Locale::Vi).send, texts(Locale::Pl).send);
    }
}
