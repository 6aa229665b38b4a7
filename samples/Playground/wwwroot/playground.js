// The few things the page asks of the browser: scrolling the code to a section, and marking the section being run.
window.playground = {
    // Scrolls the code's own box (not the page; the box is the sections' offset parent) so that the section starts at its top.
    scrollTo: function (id) {
        const element = document.getElementById(id);
        const box = document.getElementById("code");
        if (element && box) box.scrollTop = element.offsetTop;
    },
    // Marks a section and its button in the code's bar as the one being run (id "none": none).
    highlight: function (id) {
        for (const element of document.querySelectorAll(".running")) element.classList.remove("running");
        for (const element of [document.getElementById(id), document.getElementById("nav-" + id)]) {
            if (element) element.classList.add("running");
        }
    }
};
