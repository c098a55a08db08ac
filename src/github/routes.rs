//! Every GitHub REST endpoint the client calls (below the API root). A client method can
//! only send a request made from one of these.

crate::http::routes! {
    REPOSITORY = GET "/repos/{owner}/{repo}";
    /// `?per_page=`; further pages follow the answer's `Link: rel="next"`.
    BRANCHES = GET "/repos/{owner}/{repo}/branches";
    BRANCH = GET "/repos/{owner}/{repo}/branches/{+branch}";
    /// What merging `head` into `base` would bring.
    COMPARE = GET "/repos/{owner}/{repo}/compare/{+base}...{+head}";
    MERGE = POST "/repos/{owner}/{repo}/merges";
}
