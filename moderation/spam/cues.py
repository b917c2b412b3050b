"""What a post asks of its reader, read in the author's own words (French and English).

Spam of every family has to end the same way: money, a reason to hurry, a way to get in touch or a
command ("click", "écrivez-moi sur WhatsApp"), and it talks *at* the reader rather than *with* the
thread. A new family changes its vocabulary (essays, glaziers, airdrops), not those moves: these cues
are what a spammer cannot drop without losing the sale. Each cue is a short list of patterns that a CM
can read; `read(text)` returns the cues found, with the words that showed them (the queue shows them).

Members use the same words in good faith (a bike sold "150 €, DM me", a meetup "places limitées"):
no cue decides alone (see CallToActionChecker), and the classifier learns how they combine.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .text import fold

_CURRENCY = r"(?:€|\$|£|eur(?:o?s)?|usd|dollars?|gbp|pounds?|btc|eth|usdt|bitcoins?|k€|k\$)"
_AMOUNT = r"(?<![\d.,'])\d[\d\s.,']{0,12}+\s?(?:k|m|mil+e?|millions?)?"

PATTERNS: dict[str, re.Pattern] = {
    # Sums of money, pay and gains ("850 €", "$5,000", "0.5 BTC", "300€/jour", "20% de rendement").
    "money": re.compile(
        rf"(?:[€$£]\s?\d[\d\s.,]*\s?(?:k|m)?\b|\b{_AMOUNT}\s?{_CURRENCY}(?!\w))"
        r"|\b(?:per|a|par|/)\s?(?:day|week|month|hour|jour|semaine|mois|heure)\b"
        r"|\b\d+\s?%\s?(?:profit|return|roi|gain|bonus|rendement|interest|interets|de\s?(?:reduction|remise|gain))"
        r"|\b\d+\s?e\b(?=\s|$)|\b(?:cheap(?:est)?|pas cher|best prices?|meilleurs? prix|prix d.ami|prix casses?|discount"
        r"|discreet|discret|livraison (?:rapide|gratuite|discrete)|fast shipping|free shipping)\b"
        r"|\b(?:cash\s?back|passive income|revenus? passifs?|earn money|gagner de l.argent|make money"
        r"|argent facile|easy money|free money|extra income|revenu complementaire)\b"),
    # Hurry ("today only", "dernière chance", "offre limitée", "within 24h").
    "urgency": re.compile(
        r"\b(?:today only|limited (?:time|offer|spots|places|stock)|hurry|act (?:now|fast)|don.?t miss"
        r"|last chance|expires? (?:soon|today|tonight)|urgent(?:ly)?|immediately|right now|asap"
        r"|before it.?s too late|while (?:stocks?|supplies) last|only \d+ (?:left|spots|places)"
        r"|vite|depechez|derniere chance|aujourd.?hui seulement|offre limitee|ne (?:ratez|manquez) pas"
        r"|immediatement|sans attendre|avant qu.?il ne soit trop tard|jusqu.?a epuisement|plus que \d+"
        r"|dans les (?:24|48|72) ?h|en (?:24|48|72) ?h|within (?:24|48|72) ?h(?:ours)?|\b(?:24|48|72) ?h(?:ours)?\b)"),
    # Ways to get in touch outside the community.
    "contact": re.compile(
        r"(?<![a-z0-9._%+-])[a-z0-9._%+-]{1,64}@[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}"
        r"|(?:\+|\b00)\d{1,3}[\s.\-]?\(?\d{1,4}\)?(?:[\s.\-]?\d{2,4}){2,5}\b"
        r"|\b0[1-9](?:[\s.\-]?\d{2}){4}\b|\b0\d{2,4}[\s.\-]?\d{3,4}[\s.\-]?\d{3,4}\b|\(?\b\d{3}\)?[\s.\-]\d{3}[\s.\-]\d{4}\b"
        r"|\b(?:wa\.me|t\.me|discord\.gg)/"
        r"|\b(?:snap(?:chat)?|insta(?:gram)?|ig|tg|tele(?:gram)?|whats\s?app|discord|signal|skype|line|kik|wechat)\s*[:@]\s*@?[a-z0-9._+-]{3,}"
        r"|\b(?:on|sur|via|par) (?:snap(?:chat)?|insta|ig|tg|tele|discord)\b|(?:^|\s)@[a-z0-9_.]{3,}\s+(?:on|sur) \w+"
        r"|\b(?:dm|pm|mp|inbox|text|message|call|contact|reach|ping|email|mail|write to|hit) me\b|\bhmu\b|\bhit (?:me )?up @"
        r"|\b(?:dm|mp|pm)\s+(?:moi|me|@|insta|snap|pour)|\b(?:dm|pm|mp)\s*@"
        r"|\b(?:contact(?:ez|er|e)?|ecrivez|ecris|appelez|appelle[sz]?|joignez|envoyez)[- ]?(?:moi|nous)\b"
        r"|\b(?:en|par) (?:mp|message prive|prive)\b|\bjoignable\b|\b(?:contact|call|appel) (?:us|nous)\b"),
    # A messaging app named (weaker than a handle: "she got it on WhatsApp" is a member's story).
    "messaging": re.compile(r"\b(?:whats\s?app|telegram|wechat|viber|signal app|kik|snapchat)\b"),
    # Commands to the reader ("click here", "commandez", "claim your", "lien en bio").
    "imperative": re.compile(
        r"\b(?:click (?:here|the link|below)|visit (?:our|my|us|the)|check (?:out )?(?:our|my) (?:site|website|page|shop)"
        r"|order now|buy now|shop now|sign up (?:now|today|here)|register now|claim (?:your|it|now)|get (?:yours|it now)"
        r"|join (?:now|us|our|my)|apply (?:now|today|here)|download (?:now|here)|grab (?:your|it)|don.?t wait"
        r"|link in (?:my )?(?:bio|profile)|(?:use|utilisez?|avec le) (?:my |mon )?code|code promo|promo code|referral code|code parrain|\bcode:? [a-z]{3,}\d{1,3}\b"
        r"|cliquez|cliquer ici|visitez|commandez|inscrivez[- ]vous|rejoignez"
        r"|reclamez|profitez(?:[- ]en)?|telechargez|achetez|lien (?:en|dans ma) (?:bio|profil)|rendez[- ]vous sur"
        r"|n.?hesitez (?:pas|plus) a (?:me |nous )?(?:contacter|ecrire|appeler|commander))\b"),
    # Promises no member makes about their own experience.
    "promise": re.compile(
        r"\b(?:guaranteed?|100 ?% (?:legit|safe|guaranteed|success|free|real|satisfaction)|risk[- ]free|no risk"
        r"|no prescription|without prescription|no credit check|legit(?:imate)? (?:company|service|agency)"
        r"|trusted (?:by|company|service|agency)|certified (?:hacker|expert|agency)|proven results?"
        r"|garanti[es]?|sans risque|zero risque|sans ordonnance|resultats? garantis?|satisfait ou rembourse"
        r"|100 ?% (?:fiable|serieux|reussite|garanti|efficace)|sans justificatif|sans condition)\b"),
    # A business speaking ("we offer", "notre équipe", "our clients"): members speak for themselves.
    "pitch": re.compile(
        r"\b(?:we (?:offer|provide|guarantee|deliver|specialize|specialise|help (?:you|clients|businesses)|are (?:a|an|the) (?:leading|trusted|professional|certified))"
        r"|our (?:services?|team|agency|company|clients|customers|experts?|specialists?|products?|offers?|prices|rates|packages?|platform)"
        r"|nous (?:proposons|offrons|garantissons|aidons|accompagnons|sommes (?:une|un) (?:agence|equipe|societe|cabinet|entreprise))"
        r"|notre (?:equipe|agence|societe|cabinet|service|entreprise|plateforme|offre|expertise)|nos (?:services|clients|experts|tarifs|offres|produits)"
        r"|i (?:offer|provide|can (?:help you|offer you|provide))|je (?:propose|vous propose|peux vous (?:aider|proposer)))\b"),
    # Asking the reader to log in, verify or confirm: what phishing must do.
    "credentials": re.compile(
        r"\b(?:(?:log|sign) ?in (?:to|with) (?:view|see|watch|your|google|facebook)|verify (?:your|ur|it|now)|confirm (?:your|ur|it)"
        r"|(?:account|compte) (?:will be |gets? |sera )?(?:suspended|locked|closed|removed|deleted|suspendu|bloque|ferme|desactive|supprime)"
        r"|confirme[sz]? (?:ton|tes|votre|vos) (?:mdp|mot de passe|identifiant|compte|adresse)"
        r"|update your (?:payment|billing|details|information)|(?:verifiez|confirmez|mettez a jour) (?:votre|vos|ton|tes)"
        r"|connecte[sz]?[- ]?(?:toi|vous) (?:pour|avec)|identifiez[- ]vous|is (?:this|that) (?:you|u)\b|c.?est (?:toi|vous) (?:sur|dans)"
        r"|regarde ce qu|look what (?:they|people)|your (?:photos?|pictures?|video)|tes (?:photos?|videos?))\b"),
    # Praise with nothing in it, the way comment spam opens ("Great post, very informative!").
    "flattery": re.compile(
        r"\b(?:(?:great|nice|awesome|amazing|wonderful|excellent|informative|useful|helpful) (?:post|article|thread|blog|read|share|info(?:rmation)?s?)"
        r"|very (?:informative|useful|helpful|interesting) (?:post|article|thread|blog|read)|thanks? (?:you )?for (?:sharing|this (?:post|article))"
        r"|(?:super|excellent|tres bon|bel) (?:article|post|sujet)|merci pour (?:le partage|cet article|ce partage)|tres instructif)\b"),
}

# Warning words: a scam quoted or described, not pushed ("ne cliquez pas", "hxxp", "scam[.]xyz").
_WARNING = re.compile(
    r"\b(?:don.?t (?:click|reply|pay|send|call|answer)|do not (?:click|reply|pay|send|call|answer)|never (?:click|pay|send|give|share|call)"
    r"|ne (?:cliquez|repondez|payez|envoyez|donnez|communiquez|rappelez) (?:pas|jamais)|n.?(?:envoyez|appelez|ouvrez) (?:pas|jamais)"
    r"|ignore (?:it|them|this)|ignorez|supprimez[- ]le|delete it|hxxps?|is a scam|c.?est une arnaque|red flags?|signaux d.?alerte)\b"
    r"|\w\[\.\]\w|\w\(\.\)\w|\[dot\]")

# The thread's own talk: a question, thanks, someone answered or quoted, "I tried…", code.
_CONVERSATION = re.compile(
    r"\?|\b(?:thanks|thank you|cheers|merci|same here|moi aussi|agreed|d.?accord|i think|i guess|imo|imho"
    r"|je pense|je crois|a mon avis|perso|you said|as \w+ said|comme (?:dit|l.?a dit)|has anyone|anyone else"
    r"|quelqu.?un|vous avez deja|any idea|une idee)\b|\b(?:edit|update)\s?:|(?<![\w.@])@\w{2,}|```|^ {4}\S", re.M)

# Talk about spam: reports, warnings, patrols ("this is a scam", "signalé", "ne cliquez pas").
_ABOUT_SPAM = re.compile(
    r"\b(?:spam(?:mer|mers|s|ming|meur|meurs)?|scam(?:mer|mers|s)?|arnaques?|arnaqueurs?|phishing|hameconnage"
    r"|fraud(?:e|es|ulent|uleux)?|escroc(?:s|querie)?|report(?:ed|ing)?|signal(?:e|ee|es|er|ement)"
    r"|don.?t click|do not click|ne cliquez pas|ne cliquez jamais|beware|mefiez|mefiance|watch out|attention a"
    r"|reverted|reverts|revoqu|annule (?:les|la|une) modification|blocked|bloque|banned|banni|fake|faux|fausse"
    r"|red flags?|signaux d.?alerte|too good to be true|trop beau pour etre vrai)\b")


@dataclass(frozen=True)
class Cues:
    found: dict[str, tuple[str, ...]] = field(default_factory=dict)
    conversational: bool = False
    about_spam: bool = False
    warning: bool = False
    code: bool = False

    def has(self, name: str) -> bool:
        return bool(self.found.get(name))

    @property
    def kinds(self) -> int:
        return sum(1 for words in self.found.values() if words)


def read(text: str, *, code: bool = False) -> Cues:
    """The cues in `text` (the author's own words, disguises undone), each with up to 3 examples."""
    folded = fold(text)
    found = {}
    for name, pattern in PATTERNS.items():
        words = tuple(dict.fromkeys(" ".join(match.group(0).split()) for match in pattern.finditer(folded)))
        if words:
            found[name] = words[:3]
    return Cues(found=found, conversational=bool(_CONVERSATION.search(folded)),
                about_spam=bool(_ABOUT_SPAM.search(folded)), warning=bool(_WARNING.search(folded)),
                code=code)
