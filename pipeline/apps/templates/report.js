function reveal(){var el=location.hash&&document.getElementById(decodeURIComponent(location.hash.slice(1)));
  for(var d=el&&el.parentElement;d;d=d.parentElement){if(d.tagName==='DETAILS'){d.open=true;}}
  if(el&&el.tagName==='DETAILS'){el.open=true;}
  if(el){el.scrollIntoView();}}
window.addEventListener('hashchange',reveal);reveal();
document.querySelectorAll('.legend input').forEach(function(box){
  box.addEventListener('change',function(){document.body.classList.toggle('off-'+box.value,!box.checked);});
});
function cellText(td){return (td.textContent||'').toLowerCase();}
// a table row is shown when it contains the box's words and every column filter's words
function applyTable(table){
  var box=document.querySelector('input.filter[data-target="'+table.id+'"]');
  var q=box?box.value.trim().toLowerCase():'';
  var cols=Array.prototype.map.call(table.querySelectorAll('tr.colfilters input'),function(i){return i.value.trim().toLowerCase();});
  var shown=0;
  Array.prototype.forEach.call(table.tBodies[0].rows,function(tr){
    var ok=(!q||tr.textContent.toLowerCase().indexOf(q)>=0)&&cols.every(function(c,i){
      return !c||(tr.cells[i]&&cellText(tr.cells[i]).indexOf(c)>=0);});
    tr.style.display=ok?'':'none'; if(ok){shown++;}});
  var note=document.querySelector('.shown[data-target="'+table.id+'"]');
  if(note){note.textContent=shown+' of '+table.tBodies[0].rows.length+' rows shown';}
}
document.querySelectorAll('input.filter').forEach(function(inp){
  inp.addEventListener('input',function(){
    var q=inp.value.trim().toLowerCase(), target=document.getElementById(inp.dataset.target);
    if(target.tagName==='TABLE'){applyTable(target);return;}
    target.querySelectorAll('article.art').forEach(function(el){
      el.style.display=(!q||el.textContent.toLowerCase().indexOf(q)>=0)?'':'none';});
    target.querySelectorAll('details.issue').forEach(function(d){
      var shown=Array.prototype.some.call(d.querySelectorAll('article.art'),function(a){return a.style.display!=='none';});
      d.style.display=shown?'':'none'; if(q&&shown){d.open=true;}});
  });
});
document.querySelectorAll('tr.colfilters input').forEach(function(inp){
  inp.addEventListener('input',function(){applyTable(inp.closest('table'));});
});
// sorting: click a header; numbers by value (data-v), text by its characters
document.querySelectorAll('table th[data-col]').forEach(function(th){
  th.addEventListener('click',function(){
    var table=th.closest('table'), col=+th.dataset.col, asc=!th.classList.contains('asc');
    table.querySelectorAll('th').forEach(function(h){h.classList.remove('asc','desc');});
    th.classList.add(asc?'asc':'desc');
    var rows=Array.prototype.slice.call(table.tBodies[0].rows);
    function key(tr){var td=tr.cells[col];if(!td){return '';}
      return td.dataset.v!==undefined?parseFloat(td.dataset.v):td.textContent;}
    rows.sort(function(a,b){var x=key(a),y=key(b);
      if(x===''&&y!==''){return 1;} if(y===''&&x!==''){return -1;}
      var c=(typeof x==='number'&&typeof y==='number')?x-y:String(x).localeCompare(String(y),'zh');
      return asc?c:-c;});
    rows.forEach(function(tr){table.tBodies[0].appendChild(tr);});
  });
});
// download the rows shown as CSV (UTF-8 with BOM, for Excel), built in the page
function csvCell(s){if(/^[=+\-@\t\r]/.test(s)&&!/^[+-]?\d+(\.\d*)?%?$/.test(s)){s="'"+s;}
  return /[",\n\r]/.test(s)?'"'+s.replace(/"/g,'""')+'"':s;}
function tableCsv(table){
  var lines=[Array.prototype.map.call(table.tHead.rows[0].cells,function(th){return csvCell(th.textContent);}).join(',')];
  Array.prototype.forEach.call(table.tBodies[0].rows,function(tr){if(tr.style.display==='none'){return;}
    lines.push(Array.prototype.map.call(tr.cells,function(td){return csvCell(td.textContent);}).join(','));});
  return '\ufeff'+lines.join('\r\n')+'\r\n';
}
document.querySelectorAll('button.download').forEach(function(btn){
  btn.addEventListener('click',function(){
    var url=URL.createObjectURL(new Blob([tableCsv(document.getElementById(btn.dataset.target))],{type:'text/csv;charset=utf-8'}));
    var a=document.createElement('a');a.href=url;a.download=btn.dataset.name;document.body.appendChild(a);a.click();
    setTimeout(function(){URL.revokeObjectURL(url);a.remove();},0);
  });
});
document.querySelectorAll('table[id^="t-"]').forEach(applyTable);
