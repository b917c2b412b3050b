"""Write Tribune's labelled spam corpus (tests/data/spam_corpus.jsonl and spam_heldout.jsonl).

Every text here was written for this project from templates and word lists (fixed seed): no copied
dataset. The held-out file uses OTHER templates and partly other vocabulary (other drugs, brands,
casinos, domains, other ham topics), so that figures measured on it are not a template echo.

    python tests/data/make_spam_corpus.py
"""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

HERE = Path(__file__).resolve().parent

# --- word lists ----------------------------------------------------------------------------------
COMMON = {
    "name": ["Maya", "Jules", "Sam", "Oliver", "Chloé", "Karim", "Inès", "Tom", "Léa", "Marco", "Aïcha", "Pierre",
             "Nora", "Ben", "Élodie", "Yann"],
    "number": ["12", "30", "45", "80", "150", "200", "3", "5", "7"],
    "number2": ["6", "9", "11", "14", "18", "25"],
    "distance": ["42", "65", "80", "110", "127", "160"],
    "hours": ["2", "3", "4", "6", "8"],
    "percent": ["65", "70", "72", "75", "78", "80"],
    "year": ["2024", "2025", "2026"],
    "money": ["500", "1,200", "3,000", "5,000", "850", "10,000", "2,500"],
    "days": ["3", "7", "10", "14", "30"],
    "phone": ["+1 555 0134", "+44 7700 900123", "+33 6 12 34 56 78", "+234 801 234 5678"],
}
EN = {
    "place": ["the lake", "Mont Ventoux", "the old railway path", "the coast road", "the Vosges", "the ring road",
              "the river", "the forest trails"],
    "bike_part": ["chain", "rear derailleur", "front brake", "bottom bracket", "headset", "freehub"],
    "bike_problem": ["skipping", "squeaking", "rubbing", "clicking", "slipping under load", "making a creaking noise"],
    "light": ["dynamo", "USB rechargeable", "1000 lumen", "rear radar"],
    "lens": ["35mm f/1.8", "50mm prime", "old Helios 44", "kit zoom", "70-200", "24mm pancake"],
    "aperture": ["f/2", "f/4", "f/8", "f/11"],
    "photo_issue": ["softness in the corners", "noise in the shadows", "white balance", "motion blur",
                    "the blown highlights"],
    "camera": ["Fuji X-T2", "Sony A6000", "Canon 6D", "Nikon D750", "Ricoh GR II", "Olympus E-M10"],
    "photo_subject": ["street photography", "portraits of my kids", "birds", "landscapes", "concerts"],
    "service": ["Nextcloud", "Jellyfin", "Home Assistant", "Pi-hole", "Vaultwarden", "Gitea", "Immich"],
    "hardware": ["Raspberry Pi 5", "old ThinkPad", "Intel NUC", "second-hand Dell Optiplex", "mini PC"],
    "os": ["Debian", "Proxmox", "Ubuntu Server", "TrueNAS", "NixOS"],
    "error": ["502 Bad Gateway", "certificate error", "redirect loop", "timeout on uploads", "403 on the websocket"],
    "dish": ["a ratatouille", "a mushroom risotto", "a lentil curry", "a lemon tart", "a chicken tagine",
             "focaccia"],
    "ingredient": ["fresh thyme", "the first tomatoes", "wild garlic", "chanterelles", "preserved lemons"],
    "cooking_tip": ["salt the aubergines first", "toast the rice before the stock", "rest the dough overnight",
                    "do not crowd the pan", "add the herbs at the very end"],
    "bread_issue": ["dense", "flat", "gummy inside", "too sour", "pale"],
    "trail": ["GR20 north", "Tour du Mont Blanc", "Lac Blanc", "Calanques coastal", "Cirque de Gavarnie"],
    "weekday": ["Saturday", "Sunday", "Monday", "the long weekend"],
    "hike_remark": ["The last climb is brutal.", "Fog all morning, sun in the afternoon.",
                    "The refuge was full, book ahead.", "Marmots everywhere!"],
    "switch": ["Gateron Yellow", "Cherry MX Brown", "Akko Jelly", "Boba U4T", "Holy Panda"],
    "keyboard": ["Keychron Q1", "old Filco", "first handwired 40%", "GMMK Pro", "split Corne"],
    "diy_part": ["shower mixer", "toilet fill valve", "extractor fan", "sink trap", "light switch"],
    "diy_hard": ["finding the right seal", "cutting off the old pipe", "the rusted screws",
                 "turning off the water at the main"],
    "help_action": ["change my avatar", "turn off email notifications", "watch a whole forum",
                    "quote only part of a post", "change my display name"],
    "thanks_topic": ["the spoke tension", "the sourdough starter", "the docker volumes", "the lens choice",
                     "the tile adhesive"],
    "disagree_point": ["Tubeless is not a gimmick.", "You do not need a full frame camera to start.",
                       "RAID is not a backup.", "Cast iron is not hard to maintain.",
                       "Linear switches are not only for gamers."],
    "link_topic": ["bleeding hydraulic brakes", "setting up WireGuard", "calibrating a monitor",
                   "sharpening kitchen knives", "flashing QMK firmware"],
    "ham_url": ["https://wiki.archlinux.org/title/WireGuard", "https://www.sheldonbrown.com/tubeless.html",
                "https://docs.qmk.fm/newbs", "https://github.com/immich-app/immich/discussions",
                "https://www.youtube.com/watch?v=dQ8nKx0b2p4", "https://en.wikipedia.org/wiki/Sourdough"],
    "seo_service": ["SEO", "link building", "backlink", "local SEO", "guest post"],
    "city": ["Dubai", "London", "New York", "Toronto", "Sydney", "Mumbai"],
    "crypto": ["Bitcoin", "Ethereum", "Solana", "crypto", "AI arbitrage"],
    "drug": ["Viagra", "Cialis", "Tramadol", "Xanax", "Adderall", "Ozempic"],
    "casino_name": ["LuckySpin Casino", "RoyalBet", "SpinPalace", "JackpotCity", "Bet777"],
    "bonus": ["100", "200", "500", "50"],
    "brand": ["Rolex", "Louis Vuitton", "Gucci", "Nike", "Ray-Ban", "Prada"],
    "item": ["watches", "handbags", "sneakers", "sunglasses", "wallets"],
    "platform": ["PayPal", "bank", "Tribune", "Apple ID", "Netflix", "Microsoft 365"],
}
FR = {
    "place": ["le lac d'Annecy", "le Ventoux", "la voie verte", "la route des crêtes", "les Vosges",
              "les bords de Loire", "la forêt de Fontainebleau"],
    "bike_part": ["ma chaîne", "mon dérailleur arrière", "mon frein avant", "mon boîtier de pédalier",
                  "ma roue libre"],
    "bike_problem": ["saute", "grince", "frotte", "claque", "patine en danseuse", "fait un bruit bizarre"],
    "lens": ["35mm f/1.8", "50mm", "vieux Helios 44", "zoom du kit", "24mm pancake"],
    "photo_issue": ["le piqué dans les angles", "le bruit dans les ombres", "la balance des blancs",
                    "le flou de bougé", "les hautes lumières cramées"],
    "camera": ["Fuji X-T2", "Sony A6000", "Canon 6D", "Nikon D750", "Ricoh GR II"],
    "photo_subject": ["la photo de rue", "les portraits de mes enfants", "les oiseaux", "les paysages"],
    "service": ["Nextcloud", "Jellyfin", "Home Assistant", "Pi-hole", "Vaultwarden", "Immich"],
    "hardware": ["Raspberry Pi 5", "vieux ThinkPad", "NUC d'occasion", "mini PC"],
    "os": ["Debian", "Proxmox", "Ubuntu Server", "TrueNAS"],
    "error": ["erreur 502", "erreur de certificat", "boucle de redirection", "timeout à l'envoi"],
    "dish": ["une ratatouille", "un risotto aux champignons", "un curry de lentilles", "une tarte au citron",
             "un tajine de poulet", "une fougasse"],
    "ingredient": ["du thym frais", "les premières tomates", "de l'ail des ours", "des girolles"],
    "cooking_tip": ["saler les aubergines avant", "nacrer le riz avant le bouillon",
                    "laisser reposer la pâte une nuit", "ne pas surcharger la poêle",
                    "ajouter les herbes à la toute fin"],
    "bread_issue": ["dense", "plat", "collant à l'intérieur", "trop acide", "pâle"],
    "trail": ["GR20 nord", "tour du Mont Blanc", "lac Blanc", "sentier des Calanques", "cirque de Gavarnie"],
    "weekday": ["samedi", "dimanche", "lundi", "le pont de mai"],
    "hike_remark": ["La dernière montée pique.", "Brouillard le matin, grand soleil l'après-midi.",
                    "Le refuge était complet, réservez.", "Des marmottes partout !"],
    "switch": ["Gateron Yellow", "Cherry MX Brown", "Akko Jelly", "Boba U4T"],
    "keyboard": ["Keychron Q1", "vieux Filco", "premier 40% câblé main", "Corne split"],
    "diy_part": ["mitigeur de douche", "robinet flotteur des WC", "extracteur d'air", "siphon de l'évier",
                 "interrupteur du couloir"],
    "diy_hard": ["trouver le bon joint", "couper l'ancien tuyau", "les vis rouillées", "couper l'eau au compteur"],
    "help_action": ["changer mon avatar", "couper les notifications par e-mail", "suivre tout un forum",
                    "citer une partie d'un message", "changer mon nom affiché"],
    "thanks_topic": ["la tension des rayons", "le levain", "les volumes docker", "le choix de l'objectif",
                     "la colle à carrelage"],
    "disagree_point": ["Le tubeless n'est pas un gadget.", "Pas besoin d'un plein format pour débuter.",
                       "Le RAID n'est pas une sauvegarde.", "La fonte n'est pas si dure à entretenir."],
    "link_topic": ["la purge des freins hydrauliques", "l'installation de WireGuard", "le calibrage d'un écran",
                   "l'affûtage des couteaux", "le flash du firmware QMK"],
    "ham_url": ["https://wiki.archlinux.org/title/WireGuard", "https://fr.wikipedia.org/wiki/Levain",
                "https://docs.qmk.fm/newbs", "https://www.youtube.com/watch?v=Xb7a2kQ9mLc",
                "https://www.legifrance.gouv.fr/", "https://github.com/home-assistant/core/issues"],
    "seo_service": ["référencement", "netlinking", "backlinks", "SEO local", "articles sponsorisés"],
    "city": ["Paris", "Lyon", "Marseille", "Bruxelles", "Genève", "Montréal"],
    "crypto": ["Bitcoin", "Ethereum", "crypto", "trading IA"],
    "drug": ["Viagra", "Cialis", "Tramadol", "Xanax", "Ozempic"],
    "casino_name": ["LuckySpin Casino", "RoyalBet", "Casino Étoile", "Bet777"],
    "bonus": ["100", "200", "500", "50"],
    "brand": ["Rolex", "Louis Vuitton", "Gucci", "Hermès", "Chanel"],
    "item": ["montres", "sacs à main", "baskets", "lunettes de soleil", "portefeuilles"],
    "platform": ["PayPal", "banque", "Tribune", "Apple", "Netflix", "Ameli", "impots.gouv"],
}
SPAM_DOMAINS = ["bit.ly/{code}", "tinyurl.com/{code}", "cutt.ly/{code}", "is.gd/{code}",
                "https://{w1}-{w2}.xyz/{code}", "https://www.{w1}{w2}.top/?ref={code}", "https://{w1}-{w2}.online/",
                "http://{w1}{w2}24.com/{code}", "https://{w1}-{w2}.shop/promo", "ow.ly/{code}"]
SPAM_WORDS = ["cash", "profit", "bonus", "crypto", "pharma", "deal", "lucky", "rich", "earn", "win", "secure",
              "verify", "promo", "luxe", "gain", "fast", "best", "top"]


def spam_url(rng):
    code = "".join(rng.choice("abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789") for _ in range(rng.randint(5, 8)))
    w1, w2 = rng.sample(SPAM_WORDS, 2)
    return rng.choice(SPAM_DOMAINS).format(code=code, w1=w1, w2=w2)


# --- templates: training -------------------------------------------------------------------------
TRAIN = {
    ("ham", "en"): [
        "Just got back from a {distance} km ride around {place}. Legs are toast but the views were worth it. Anyone else out this weekend?",
        "My {bike_part} keeps {bike_problem} after about {number} km. I already cleaned and lubed it. Ideas before I take it to the shop?",
        "For commuting in the rain I swear by full fenders and a {light} light. It changed my winter completely.",
        "Shot this at {aperture} with the {lens}. Still not happy with {photo_issue}. Would a tripod help or is it technique?",
        "Is the {camera} still worth buying second hand in {year}? It would be mostly for {photo_subject}.",
        "Moved my {service} to a {hardware} running {os}. Idle power went from {number} W to {number2} W, very happy.",
        "Anyone running {service} behind a reverse proxy? I get a {error} since the last update.",
        "Made {dish} last night with {ingredient} from the market. Tip: {cooking_tip}.",
        "My sourdough comes out {bread_issue} every time. Hydration is around {percent}%. What am I doing wrong?",
        "We did the {trail} on {weekday}. {hike_remark} Bring more water than you think.",
        "Lubed the {switch} switches on my {keyboard} and the sound is so much better. Took about {hours} hours.",
        "Replaced the {diy_part} myself this weekend. The hardest part was {diy_hard}.",
        "Quick question: how do I {help_action}? I looked in the settings but could not find it.",
        "Thanks {name}, your advice about {thanks_topic} saved me a lot of time!",
        "I have to disagree with {name} here. {disagree_point} In my experience it is the opposite.",
        "Here is the guide I followed for {link_topic}: {ham_url} The third section is the important one.",
        "Found the official documentation about {link_topic}: {ham_url}",
        "Welcome {name}! The beginner threads pinned at the top are a good start, and do not hesitate to ask.",
        "Sorry for the late answer, I was away. The {bike_part} problem came back after {number} km, so not fixed.",
    ],
    ("ham", "fr"): [
        "Je rentre d'une sortie de {distance} km autour de {place}. Les jambes sont cuites mais quelle vue ! Qui roulait ce week-end ?",
        "{bike_part} {bike_problem} au bout de {number} km. J'ai déjà nettoyé et graissé. Une idée avant d'aller chez le vélociste ?",
        "Prise au {lens}, mais je ne suis pas content de {photo_issue}. Un trépied aiderait ou c'est la technique ?",
        "Le {camera} vaut-il encore le coup d'occasion en {year} ? Ce serait surtout pour {photo_subject}.",
        "J'ai migré {service} sur un {hardware} sous {os}. La conso au repos est passée de {number} W à {number2} W.",
        "Quelqu'un fait tourner {service} derrière un reverse proxy ? J'ai une {error} depuis la mise à jour.",
        "J'ai fait {dish} hier soir avec {ingredient} du marché. Astuce : {cooking_tip}.",
        "Mon pain au levain sort {bread_issue} à chaque fois. Hydratation vers {percent} %. Qu'est-ce que je rate ?",
        "On a fait le {trail} {weekday}. {hike_remark} Prenez plus d'eau que prévu.",
        "J'ai lubrifié les switchs {switch} de mon {keyboard}, le son est bien meilleur. Environ {hours} heures de boulot.",
        "J'ai changé le {diy_part} moi-même ce week-end. Le plus dur : {diy_hard}.",
        "Petite question : comment faire pour {help_action} ? J'ai cherché dans les réglages sans trouver.",
        "Merci {name}, ton conseil sur {thanks_topic} m'a fait gagner un temps fou !",
        "Je ne suis pas d'accord avec {name}. {disagree_point} D'expérience c'est plutôt l'inverse.",
        "Voici le guide que j'ai suivi pour {link_topic} : {ham_url} La troisième partie est la plus utile.",
        "Bienvenue {name} ! Les sujets épinglés pour débuter sont un bon point de départ, n'hésite pas à poser tes questions.",
        "Désolé pour la réponse tardive, j'étais en vacances. Le souci est revenu après {number} km, donc pas réglé.",
    ],
    ("spam", "en"): [
        "Best {seo_service} services in {city}. Rank #1 on Google in {days} days, guaranteed! Visit {url}",
        "I made ${money} in {days} days with this {crypto} trading bot. Guaranteed profit, zero risk. Join now: {url}",
        "Forex signals with {percent}% win rate!!! Message me on WhatsApp {phone} and start earning today",
        "Buy {drug} online without prescription. Cheapest price, discreet shipping worldwide {url}",
        "{bonus} FREE SPINS + {percent}% welcome bonus at {casino_name}! Play now and win big {url}",
        "Replica {brand} {item} at {percent}% off. AAA quality, free worldwide shipping {url}",
        "Work from home and earn ${money} per week. No experience needed, just {hours} hours a day. Apply: {url}",
        "nice post {url}",
        "great info thanks, check this {url} {url2}",
        "Your {platform} account will be suspended. Verify your account within 24 hours: {url}",
        "URGENT: unusual sign-in detected on your {platform} account. Confirm your identity here {url}",
        "Need cash fast? Instant loans approved in minutes, bad credit OK. Call {phone} or visit {url}",
    ],
    ("spam", "fr"): [
        "Meilleur {seo_service} à {city}. Première page Google en {days} jours garanti ! Visitez {url}",
        "J'ai gagné {money} € en {days} jours avec ce robot de trading {crypto}. Profit garanti, zéro risque. Rejoignez-nous : {url}",
        "Signaux forex à {percent} % de réussite !!! Contactez-moi sur WhatsApp {phone} pour gagner dès aujourd'hui",
        "Achetez du {drug} en ligne sans ordonnance. Prix le plus bas, livraison discrète {url}",
        "{bonus} TOURS GRATUITS + bonus de bienvenue de {percent} % chez {casino_name} ! Jouez et gagnez {url}",
        "{item} {brand} réplique à -{percent} %. Qualité AAA, livraison gratuite {url}",
        "Travaillez depuis chez vous et gagnez {money} € par semaine. Sans expérience, {hours} heures par jour. Postulez : {url}",
        "super article {url}",
        "merci pour l'info, regardez ça {url} {url2}",
        "Votre compte {platform} va être suspendu. Vérifiez votre compte sous 24 heures : {url}",
        "Remboursement en attente : confirmez vos coordonnées bancaires sur votre espace {platform} {url}",
        "Besoin d'argent vite ? Prêt rapide accordé en quelques minutes, même fiché. Appelez le {phone} ou {url}",
    ],
}

# --- templates: held out (other wording, other topics and names) --------------------------------
HELDOUT_WORDS = {
    "en": {"drug": ["Kamagra", "Valium", "Modafinil", "Phentermine"], "brand": ["Omega", "Cartier", "Balenciaga"],
           "casino_name": ["GoldenReels", "Vegas Royale", "SlotKing"], "crypto": ["DeFi staking", "USDT", "meme coin"],
           "garden": ["tomatoes", "courgettes", "the lavender", "my apple tree", "the basil"],
           "game": ["Terraforming Mars", "Wingspan", "Azul", "Spirit Island"],
           "instrument": ["my old Yamaha guitar", "the upright piano", "a cheap ukulele", "my violin"],
           "platform": ["Amazon", "Chase", "Instagram"], "carrier": ["DHL", "UPS", "FedEx", "Royal Mail"]},
    "fr": {"drug": ["Kamagra", "Valium", "Modafinil"], "brand": ["Omega", "Cartier", "Dior"],
           "casino_name": ["Golden Reels", "Vegas Royale", "Roi des Slots"], "crypto": ["staking DeFi", "USDT", "memecoin"],
           "garden": ["les tomates", "les courgettes", "la lavande", "mon pommier", "le basilic"],
           "game": ["Terraforming Mars", "Wingspan", "Azul", "Spirit Island"],
           "instrument": ["ma vieille guitare Yamaha", "le piano droit", "un ukulélé pas cher", "mon violon"],
           "platform": ["Crédit Agricole", "Instagram", "Free"], "carrier": ["Chronopost", "La Poste", "Colissimo"]},
}
HELDOUT = {
    ("ham", "en"): [
        "Aphids all over {garden} again this year. Has anyone tried ladybirds instead of spraying?",
        "Game night report: {game} with four players took almost three hours, but everyone wants a rematch.",
        "Restringing {instrument} tonight. Any string brand you would recommend for a warmer sound?",
        "Honest opinion: the new forum layout is cleaner, but I miss seeing the last poster in the list.",
        "Did anyone else get caught in the storm on {weekday}? Had to shelter under a bridge for an hour.",
        "Update on my {service} setup: backups now run every night to an external disk, tested a restore too.",
        "Can a moderator move this thread to the photography section? I posted it in the wrong place, sorry.",
        "Not convinced by the argument above. {disagree_point} But I see why people think so.",
        "The recipe I used is on the baker's blog, {ham_url} I halved the sugar and it was still great.",
        "Congratulations on finishing the {trail}, {name}! Photos please.",
        "My {keyboard} arrived with a dead key. The seller is sending a replacement PCB, fingers crossed.",
        "Tried {cooking_tip} like {name} suggested and it makes a real difference.",
    ],
    ("ham", "fr"): [
        "Des pucerons partout sur {garden} cette année encore. Quelqu'un a essayé les coccinelles plutôt que traiter ?",
        "Compte rendu de soirée jeux : {game} à quatre, presque trois heures, mais tout le monde veut la revanche.",
        "Je change les cordes de {instrument} ce soir. Une marque à conseiller pour un son plus chaud ?",
        "Avis honnête : la nouvelle mise en page du forum est plus claire, mais le dernier auteur dans la liste me manque.",
        "Quelqu'un d'autre s'est fait surprendre par l'orage {weekday} ? On s'est abrités une heure sous un pont.",
        "Un modérateur peut déplacer ce sujet dans la section photo ? Je me suis trompé de rubrique, désolé.",
        "Pas convaincu par l'argument plus haut. {disagree_point} Mais je comprends pourquoi on le pense.",
        "La recette vient du blog du boulanger, {ham_url} j'ai divisé le sucre par deux et c'était parfait.",
        "Bravo pour le {trail}, {name} ! Des photos, vite.",
        "Mon {keyboard} est arrivé avec une touche morte. Le vendeur envoie un nouveau PCB, croisons les doigts.",
        "J'ai essayé de {cooking_tip} comme {name} le conseillait, ça change tout.",
    ],
    ("spam", "en"): [
        "Stop wasting time on low paying jobs. My students make ${money} monthly with {crypto}. DM me or {url}",
        "Order {drug} tablets overnight, no doctor visit required, 70% cheaper than pharmacy {url}",
        "Claim your exclusive {casino_name} jackpot bonus before midnight: {url}",
        "Luxury {brand} copies, indistinguishable from the original, wholesale prices {url}",
        "Your parcel from {carrier} is on hold. Pay the customs fee of $1.99 to release it: {url}",
        "Limited offer!!! Double your investment in {days} days, withdraw anytime, trusted by thousands {url}",
        "Hello dear, I am a recruiter. Part time online job, daily pay ${money}, contact me on Telegram {phone}",
        "cool thread! more here {url}",
        "Security alert: your {platform} password expires today. Keep your password by logging in {url}",
        "Affordable {seo_service} packages, high DA backlinks, fast indexing, order today {url}",
    ],
    ("spam", "fr"): [
        "Arrêtez les petits boulots mal payés. Mes élèves gagnent {money} € par mois avec {crypto}. Écrivez-moi ou {url}",
        "Commandez {drug} livré en 24h, sans consultation, 70 % moins cher qu'en pharmacie {url}",
        "Réclamez votre jackpot exclusif {casino_name} avant minuit : {url}",
        "Copies de luxe {brand}, identiques à l'original, prix de gros {url}",
        "Votre colis {carrier} est bloqué. Réglez les frais de douane de 1,99 € pour le débloquer : {url}",
        "Offre limitée !!! Doublez votre investissement en {days} jours, retrait à tout moment {url}",
        "Bonjour, je suis recruteuse. Emploi en ligne à temps partiel, payé {money} € par jour, contactez-moi sur Telegram {phone}",
        "sujet sympa ! plus d'infos ici {url}",
        "Alerte sécurité : votre mot de passe {platform} expire aujourd'hui. Conservez-le en vous connectant {url}",
    ],
}

_SLOT = re.compile(r"\{(\w+)\}")


def fill(template, words, rng):
    def pick(match):
        slot = match.group(1)
        if slot in ("url", "url2"):
            return spam_url(rng)
        return rng.choice(words[slot])

    return _SLOT.sub(pick, template)


def generate(templates, per_template, rng, extra=None):
    rows = []
    for (label, language), items in templates.items():
        words = {**COMMON, **(EN if language == "en" else FR), **((extra or {}).get(language, {}))}
        for template in items:
            seen = set()
            for _attempt in range(per_template * 10):
                text = fill(template, words, rng)
                if text not in seen:
                    seen.add(text)
                    rows.append({"text": text, "label": label, "lang": language})
                if len(seen) >= per_template:
                    break
    rng.shuffle(rows)
    return rows


def main():
    rng = random.Random(2026)
    train = generate(TRAIN, 8, rng)
    heldout = generate(HELDOUT, 4, rng, extra=HELDOUT_WORDS)
    for name, rows in (("spam_corpus.jsonl", train), ("spam_heldout.jsonl", heldout)):
        with (HERE / name).open("w", encoding="utf-8") as out:
            for row in rows:
                out.write(json.dumps(row, ensure_ascii=False) + "\n")
        labels = [row["label"] for row in rows]
        print(f"{name}: {len(rows)} ({labels.count('spam')} spam, {labels.count('ham')} ham)")


if __name__ == "__main__":
    main()
